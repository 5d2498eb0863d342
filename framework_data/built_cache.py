"""A file cache of the loaded frameworks and their vocabulary, so a one-shot command skips re-checking them.

Loading and checking the framework files and indexing their vocabulary is most of what `techpath ask` does
besides importing; the result depends only on the files' bytes and on this package's code, so it is kept,
pickled, under a key made of both. Anything wrong with the cached file (stale, truncated, from another
version) just means the frameworks are loaded afresh."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)
Built = TypeVar("Built")


def _code_digest() -> bytes:
    """What the pickled objects' classes are made of: this package's source and pydantic's version."""
    import pydantic

    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    package = resources.files("framework_data")
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.digest()


def cache_key(files: Sequence[Path], extra: str = "") -> str:
    """The key of what is built from ``files``: their contents, their order, ``extra`` and the code."""
    digest = hashlib.sha256(_code_digest() + extra.encode())
    for path in files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def cached(directory: Path | None, key: str, build: Callable[[], Built]) -> Built:
    """``build()``'s result: read from ``directory`` when kept there under ``key``, else built and kept.

    Only this user's own cache folder is read (created private to them), as it is code the bot trusts."""
    if directory is None:
        return build()
    path = directory / f"frameworks-{key}.pickle"
    try:
        with path.open("rb") as kept:
            return pickle.load(kept)  # type: ignore[no-any-return]
    except FileNotFoundError:
        pass
    except Exception:  # any unreadable cache is rebuilt; it never stops the bot
        log.debug("framework cache %s unreadable; rebuilding it", path.name, exc_info=True)
    built = build()
    _keep(directory, path, built)
    return built


def _keep(directory: Path, path: Path, built: object) -> None:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in directory.glob("frameworks-*.pickle"):
            stale.unlink(missing_ok=True)
        # Written beside it and renamed, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".frameworks-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(built, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        # A read-only data folder (a container) only costs the next start its speed.
        log.debug("framework cache not written to %s", directory, exc_info=True)
