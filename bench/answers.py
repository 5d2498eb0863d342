"""Answers, not only acks, for bench/http.py: which event each chat.postMessage the Slack double recorded
answers, how soon and how often; the directory of people the events come from; a throwaway PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import os
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core import FAILED
from tests.doubles.slack_api import SlackApiDouble

# Of the people who write, this share is in the directory (users.info gives an email the import holds);
# the others are asked about once and stay anonymous, as people outside the institution's HR export are.
KNOWN_SHARE = 0.8
ANSWERED_WITHIN = 1.0  # seconds from sending the event to its answer reaching the Slack double


def email_of(n: int) -> str:
    return f"tech{n}@uni.example"


def in_directory(n: int) -> bool:
    return n % 10 < KNOWN_SHARE * 10


def write_people(path: Path, count: int) -> None:
    """An HR export of the people behind users U0..U{count-1} who are in the directory."""
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            ["email", "display_name", "department", "grade", "role", "manager_email", "bot_roles"]
        )
        for n in range(count):
            if in_directory(n):
                grade, role = (("5", ""), ("6", ""), ("7", "specialist"), ("7", "manager"))[n % 4]
                writer.writerow([email_of(n), f"Tech {n}", "Chemistry", grade, role, "", ""])


def import_people(techpath_bin: str, env: dict[str, str], count: int) -> None:
    """Fill the directory through the CLI an operator uses, and let the double resolve their emails."""
    path = Path(env["TECHPATH_DATA_DIR"]) / "people.csv"
    write_people(path, count)
    subprocess.run(
        [techpath_bin, "people", "import", str(path)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )


def resolve_emails(double: SlackApiDouble, count: int) -> None:
    double.emails.update({f"U{n}": email_of(n) for n in range(count) if in_directory(n)})


def kind_of(message: dict[str, Any]) -> str:
    """What a posted message is: the welcome alone, an apology, the rest of a long card, or an answer (the
    welcome and the answer to a first message come in one post)."""
    blocks = [b for b in message.get("blocks") or [] if isinstance(b, dict)]
    if blocks and blocks[0].get("type") == "context":
        return "continued"
    titles = [str((b.get("text") or {}).get("text", "")) for b in blocks if b.get("type") == "header"]
    if FAILED.title in titles:
        return "apology"
    if titles and all(title.endswith("I'm techpath") for title in titles):
        return "welcome"
    return "answer"


@dataclass
class Sent:
    at: float  # time.perf_counter() as the request started
    ack: float | None = None  # seconds to the HTTP response; None when the request failed
    answers: list[float] = field(default_factory=list)  # arrival times of its answers at the double
    apologies: int = 0


class Ledger:
    """Every event sent, keyed by the DM thread (or, without one, the DM channel) its replies go to."""

    def __init__(self, double: SlackApiDouble) -> None:
        self._double = double
        self._cursor = 0
        self._by_thread: dict[str, Sent] = {}
        self._by_channel: dict[str, Sent] = {}

    def sent(self, channel: str, thread: str | None) -> Sent:
        record = Sent(time.perf_counter())
        if thread:
            self._by_thread[thread] = record
        else:
            self._by_channel[channel] = record
        return record

    def collect(self) -> None:
        """File the chat.postMessage calls that arrived since the last look under their events."""
        calls = self._double.calls
        while self._cursor < len(calls):
            call = calls[self._cursor]
            self._cursor += 1
            if call.method != "chat.postMessage":
                continue
            args = call.args
            record = self._by_thread.get(str(args.get("thread_ts") or "")) or self._by_channel.get(
                str(args.get("channel"))
            )
            if record is None:
                continue
            kind = kind_of(args)
            if kind == "answer":
                record.answers.append(call.at)
            elif kind == "apology":
                record.apologies += 1

    async def settle(self, records: list[Sent], limit: float, grace: float = 0.5) -> None:
        """Wait (at most ``limit`` seconds) until every event has an answer or an apology, then ``grace``
        seconds more, in which a second answer to the same event would show."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            self.collect()
            if all(r.answers or r.apologies for r in records):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(grace)
        self.collect()


def pct(samples: list[float], p: float) -> float:
    """The p-th percentile, in milliseconds (NaN for no samples)."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


@dataclass(frozen=True)
class Outcome:
    """One run's figures; times in milliseconds."""

    sent: int
    acked: int
    ack_p50: float
    ack_p99: float
    answered_in_time: int  # answered within ANSWERED_WITHIN of being sent
    answered_per_s: float  # of those, per second of sending
    answered: int
    once: int
    twice: int  # answered more than once
    apologies: int
    no_reply: int
    answer_p50: float
    answer_p99: float
    # The server's CPU time (all its threads) from the first event of the run to its last answer, per
    # event: the figure least moved by other work on a shared machine.
    cpu_ms: float

    @classmethod
    def of(cls, records: list[Sent], sending: float, cpu: float) -> Outcome:
        acks = [r.ack for r in records if r.ack is not None]
        delays = [r.answers[0] - r.at for r in records if r.answers]
        in_time = sum(1 for delay in delays if delay <= ANSWERED_WITHIN)
        return cls(
            sent=len(records),
            acked=len(acks),
            ack_p50=pct(acks, 50),
            ack_p99=pct(acks, 99),
            answered_in_time=in_time,
            answered_per_s=in_time / sending if sending else 0.0,
            answered=len(delays),
            once=sum(1 for r in records if len(r.answers) == 1),
            twice=sum(1 for r in records if len(r.answers) > 1),
            apologies=sum(1 for r in records if r.apologies),
            no_reply=sum(1 for r in records if not r.answers and not r.apologies),
            answer_p50=pct(delays, 50),
            answer_p99=pct(delays, 99),
            cpu_ms=cpu * 1000 / len(records) if records else float("nan"),
        )


def median(outcomes: list[Outcome]) -> Outcome:
    """Each figure's median over the runs (figure by figure, so one odd run moves none of them)."""
    middle: dict[str, Any] = {}
    for name in Outcome.__dataclass_fields__:
        values = sorted(getattr(o, name) for o in outcomes)
        middle[name] = values[len(values) // 2]
    return Outcome(**middle)


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far, user and system (Linux; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ThrowawayPostgres:
    """A fresh database on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), dropped after."""

    def __init__(self) -> None:
        self.server = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
        self.name = f"techpath_bench_{uuid.uuid4().hex[:10]}"
        self.url = f"{self.server}/{self.name}"

    async def _admin(self, statement: str) -> None:
        import asyncpg  # type: ignore[import-untyped]

        connection = await asyncpg.connect(f"{self.server}/postgres", timeout=10)
        try:
            await connection.execute(statement, timeout=60)
        finally:
            await connection.close()

    async def create(self) -> None:
        await self._admin(f'CREATE DATABASE "{self.name}"')

    async def drop(self) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
