"""The institution's clock: UK clock changes, bank holidays, closures, leap days, the server's own zone."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.working_time import (
    InstitutionCalendar,
    TimeSettingError,
    calendar_from_settings,
    parse_working_days,
    read_closures,
    same_day_in_year,
)

LONDON = InstitutionCalendar()


@pytest.mark.parametrize(
    ("day", "expected_utc_hour"),
    [
        (date(2026, 3, 27), 9),  # the Friday before the spring change: GMT
        (date(2026, 3, 30), 8),  # the Monday after it: BST
        (date(2026, 10, 23), 8),  # the Friday before the autumn change: still BST
        (date(2026, 10, 26), 9),  # the Monday after it: GMT again
        (date(2027, 3, 26), 9),
        (date(2027, 3, 29), 8),
        (date(2027, 10, 29), 8),
        (date(2027, 11, 1), 9),
    ],
)
def test_nine_local_is_eight_utc_in_summer_and_nine_in_winter(day: date, expected_utc_hour: int) -> None:
    assert LONDON.instant(day) == datetime(day.year, day.month, day.day, expected_utc_hour, tzinfo=UTC)


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2027, 3, 28)])
def test_a_time_the_spring_change_skips_moves_forward(day: date) -> None:
    # 01:30 does not exist in London that night: 01:00 GMT jumps to 02:00 BST.
    instant = LONDON.instant(day, time(1, 30))
    assert instant == datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC)
    assert instant.astimezone(LONDON.zone).strftime("%H:%M %Z") == "02:30 BST"


@pytest.mark.parametrize("day", [date(2026, 10, 25), date(2027, 10, 31)])
def test_a_time_the_autumn_change_repeats_is_the_first_and_only_once(day: date) -> None:
    instant = LONDON.instant(day, time(1, 30))
    assert instant == datetime(day.year, day.month, day.day, 0, 30, tzinfo=UTC)
    assert instant.astimezone(LONDON.zone).strftime("%H:%M %Z") == "01:30 BST"
    # A daily 01:30 reminder over the three nights around the change: one instant a night, 24 h or 25 h
    # apart, never two on the night the hour repeats.
    nights = [LONDON.instant(day + timedelta(days=i), time(1, 30)) for i in (-1, 0, 1)]
    assert len(set(nights)) == 3
    assert [b - a for a, b in itertools.pairwise(nights)] == [
        timedelta(hours=24),
        timedelta(hours=25),
    ]


def test_calendar_days_not_24_hour_periods_across_the_change() -> None:
    opens = date(2026, 4, 6)
    due = LONDON.due_date(opens, -14)  # 23 March, before the change; the instant is still 09:00 local
    assert due == date(2026, 3, 23)
    assert LONDON.instant(due).astimezone(LONDON.zone).hour == 9
    assert LONDON.instant(opens) - LONDON.instant(due) == timedelta(days=14, hours=-1)


def test_boxing_day_observed_in_england_is_not_a_working_day() -> None:
    assert LONDON.holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"
    assert not LONDON.is_working_day(date(2026, 12, 28))
    # Due before a date: the working day before (Christmas week: Thursday 24th).
    assert LONDON.due_date(date(2026, 12, 31), -3) == date(2026, 12, 24)
    # Due on a date: the working day after (Tuesday 29th).
    assert LONDON.due_date(date(2026, 12, 26), 0) == date(2026, 12, 29)


def test_the_nations_differ_and_none_keeps_no_holidays() -> None:
    # 2 January is a bank holiday in Scotland only; 17 March in Northern Ireland only.
    assert not InstitutionCalendar(nation="SCT").is_working_day(date(2026, 1, 2))
    assert LONDON.is_working_day(date(2026, 1, 2))
    assert not InstitutionCalendar(nation="NIR").is_working_day(date(2026, 3, 17))
    assert InstitutionCalendar(nation="").is_working_day(date(2026, 12, 28))


def test_a_closure_list_moves_reminders(tmp_path: Path) -> None:
    path = tmp_path / "closures.yaml"
    path.write_text("- 2026-12-24\n- from: 2026-12-29\n  to: 2026-12-31\n", encoding="utf-8")
    closures = read_closures(path)
    assert closures == {date(2026, 12, 24), date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)}
    closed = InstitutionCalendar(closures=closures)
    # Before 1 January: 31st, 30th, 29th closed, 28th Boxing Day observed, 25th Christmas, 24th closed.
    assert closed.due_date(date(2027, 1, 4), -3) == date(2026, 12, 23)
    assert closed.due_date(date(2026, 12, 29), 0) == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("- 2026-12-24\n- tomorrow\n", "entry 2: 'tomorrow' is not a date"),
        (
            "- from: 2026-12-31\n  to: 2026-12-29\n",
            "entry 1: 'to' (2026-12-29) is before 'from' (2026-12-31)",
        ),
        ("- [2026-12-24\n", "not valid YAML at line"),
        ("closed: yes\n", "should be a list of dates"),
    ],
)
def test_a_broken_closure_file_says_what_to_fix(tmp_path: Path, text: str, fix: str) -> None:
    path = tmp_path / "closures.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TimeSettingError) as raised:
        read_closures(path)
    assert fix in str(raised.value)
    assert "TECHPATH_CLOSURES (closures.yaml)" in str(raised.value)


def test_a_missing_closure_file_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TECHPATH_CLOSURES", str(tmp_path / "absent.yaml"))
    with pytest.raises(TimeSettingError, match="cannot be read"):
        calendar_from_settings(Settings())


def test_leap_day_yearly_recurrence() -> None:
    opens = date(2028, 2, 29)
    assert [same_day_in_year(opens, y) for y in (2029, 2030, 2031, 2032)] == [
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    ]


def test_working_days_and_settings_are_read_or_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_working_days("Mon-Fri") == frozenset(range(5))
    assert parse_working_days("Sun-Thu") == frozenset({6, 0, 1, 2, 3})
    assert parse_working_days("mon, wed") == frozenset({0, 2})
    for name, value in [
        ("TECHPATH_WORKING_DAYS", "Funday"),
        ("TECHPATH_REMINDER_HOUR", "9am"),
        ("TECHPATH_HOLIDAYS", "FRA"),
        ("TECHPATH_TIMEZONE", "Europe/Atlantis"),
    ]:
        monkeypatch.setenv(name, value)
        with pytest.raises(ValueError, match=name):
            Settings()
        monkeypatch.delenv(name)


def test_nothing_is_sent_outside_working_hours() -> None:
    friday_evening = datetime(2026, 12, 18, 19, 0, tzinfo=UTC)
    # Weekend, then Monday 21st at 08:00 GMT.
    assert LONDON.next_working_moment(friday_evening) == datetime(2026, 12, 21, 8, 0, tzinfo=UTC)
    # Christmas Eve evening: the 25th, 26th-28th are not working days, so Tuesday 29th.
    assert LONDON.next_working_moment(datetime(2026, 12, 24, 18, 30, tzinfo=UTC)) == datetime(
        2026, 12, 29, 8, 0, tzinfo=UTC
    )
    inside = datetime(2026, 7, 1, 9, 30, tzinfo=UTC)
    assert LONDON.next_working_moment(inside) == inside
    # 07:30 UTC in July is 08:30 BST: inside; 06:30 UTC is 07:30 BST: wait until 07:00 UTC.
    assert LONDON.next_working_moment(datetime(2026, 7, 1, 6, 30, tzinfo=UTC)) == datetime(
        2026, 7, 1, 7, 0, tzinfo=UTC
    )


_INSTANTS = """
import json
from datetime import date, time
from bot.working_time import InstitutionCalendar
c = InstitutionCalendar()
days = [date(2026, 3, 29), date(2026, 3, 30), date(2026, 10, 25), date(2026, 10, 26), date(2027, 10, 31)]
nine = [c.instant(d).isoformat() for d in days]
early = [c.instant(d, time(1, 30)).isoformat() for d in days]
later = [c.next_working_moment(c.instant(date(2026, 12, 24), time(20, 0))).isoformat()]
print(json.dumps(nine + early + later))
"""


def test_a_server_in_utc_and_one_in_another_zone_give_the_same_instants() -> None:
    results = []
    for zone in ("UTC", "America/Los_Angeles", "Asia/Kolkata"):
        env = {**os.environ, "TZ": zone}
        run = subprocess.run(
            [sys.executable, "-c", _INSTANTS], env=env, capture_output=True, text=True, check=True
        )
        results.append(json.loads(run.stdout))
    assert results[0] == results[1] == results[2]
    assert results[0][1] == "2026-03-30T08:00:00+00:00"
    assert results[0][3] == "2026-10-26T09:00:00+00:00"
