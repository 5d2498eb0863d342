"""The cache of built frameworks: read back when nothing changed, rebuilt when anything did."""

from __future__ import annotations

from pathlib import Path

from framework_data.built_cache import cache_key, cached


def counting_build(counter: list[int], value: object) -> object:
    counter.append(1)
    return value


def test_what_was_built_is_read_back_instead_of_built_again(tmp_path: Path) -> None:
    source = tmp_path / "ours.yaml"
    source.write_text("id: ours\n", encoding="utf-8")
    key = cache_key([source])
    builds: list[int] = []
    first = cached(tmp_path / "cache", key, lambda: counting_build(builds, {"roles": ["g5"]}))
    again = cached(tmp_path / "cache", key, lambda: counting_build(builds, {"roles": ["other"]}))
    assert (first, again, len(builds)) == ({"roles": ["g5"]}, {"roles": ["g5"]}, 1)


def test_a_changed_file_or_a_changed_list_of_files_is_another_key(tmp_path: Path) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text("id: one\n", encoding="utf-8")
    two.write_text("id: two\n", encoding="utf-8")
    before = cache_key([one, two])
    assert cache_key([one]) != before
    assert cache_key([two, one]) != before
    assert cache_key([one, two], "lancaster|imperial") != before
    one.write_text("id: one\nname: changed\n", encoding="utf-8")
    assert cache_key([one, two]) != before


def test_an_unreadable_cache_file_is_rebuilt_and_replaced(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    directory.mkdir()
    (directory / "frameworks-k.pickle").write_bytes(b"not a pickle")
    builds: list[int] = []
    assert cached(directory, "k", lambda: counting_build(builds, "fresh")) == "fresh"
    assert cached(directory, "k", lambda: counting_build(builds, "again")) == "fresh"
    assert len(builds) == 1
    assert [p.name for p in directory.iterdir()] == ["frameworks-k.pickle"]


def test_a_folder_that_cannot_be_written_only_costs_the_cache(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    builds: list[int] = []
    assert cached(blocked, "k", lambda: counting_build(builds, 1)) == 1
    assert cached(blocked, "k", lambda: counting_build(builds, 2)) == 2
    assert len(builds) == 2
