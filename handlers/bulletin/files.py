"""Opportunities from a file: YAML (one, a list, or ``opportunities:``) or CSV (one a row)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import yaml

from bot.core import Context
from bot.spreadsheet_cells import restored
from bot.storage.bulletin import OpportunityFields
from handlers.bulletin.model import Problem, field_name, read_opportunity

MAX_OPPORTUNITIES = 200


def read_opportunities(
    text: str, filename: str, ctx: Context, today: date
) -> tuple[list[OpportunityFields], list[Problem]]:
    """Every opportunity in the file, or every problem found (then nothing is to be saved)."""
    if filename.lower().endswith(".csv"):
        return _from_csv(text, ctx, today)
    return _from_yaml(text, ctx, today)


def _from_yaml(text: str, ctx: Context, today: date) -> tuple[list[OpportunityFields], list[Problem]]:
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "the file"
        return [], [Problem(where, "", f"not readable YAML ({getattr(error, 'problem', None) or error})")]
    if isinstance(data, dict) and "opportunities" in data:
        data = data["opportunities"]
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        return [], [
            Problem("the file", "", "expected an opportunity (title: ..., kind: ...) or a list of them")
        ]
    return _checked(
        [(f"opportunity {n} ({str(i.get('title') or 'no title')[:40]})", i) for n, i in enumerate(items, 1)],
        ctx,
        today,
    )


def _from_csv(text: str, ctx: Context, today: date) -> tuple[list[OpportunityFields], list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [field_name(h) for h in next(reader)]
    except (StopIteration, csv.Error):
        return [], [Problem("row 1", "", "the first row must name the columns (title, kind, ...)")]
    rows: list[tuple[str, dict[str, Any]]] = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                return [], [
                    Problem(f"row {number}", "", f"has {len(cells)} cells, the header has {len(header)}")
                ]
            rows.append((f"row {number}", {h: restored(c) for h, c in zip(header, cells, strict=True)}))
    except csv.Error as error:
        return [], [Problem("the file", "", f"unreadable CSV ({error})")]
    if not rows:
        return [], [Problem("the file", "", "no opportunities: one a row under the header")]
    return _checked(rows, ctx, today)


def _checked(
    items: list[tuple[str, dict[str, Any]]], ctx: Context, today: date
) -> tuple[list[OpportunityFields], list[Problem]]:
    if len(items) > MAX_OPPORTUNITIES:
        return [], [Problem("the file", "", f"has {len(items)} opportunities (at most {MAX_OPPORTUNITIES})")]
    found: list[OpportunityFields] = []
    problems: list[Problem] = []
    for where, raw in items:
        fields, wrong = read_opportunity(raw, where, ctx, today)
        problems += wrong
        if fields is not None:
            found.append(fields)
    return (found, []) if not problems else ([], problems)
