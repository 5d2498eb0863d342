"""What a YAML syntax error means in a framework file, in words a person editing it can act on.

PyYAML reports where its parser gave up ("expected <block end>, but found '<scalar>'"), which is often a line
after the mistake: an unclosed quote is only noticed where the next quote closes it. The common causes are
recognised from the text itself; anything else keeps PyYAML's own words, with the line."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

# Where a YAML token can start, so a quote there opens a quoted value (an apostrophe elsewhere is just text).
_TOKEN_STARTS = (" ", "[", "{", ",", "-", ":", "?")


@dataclass(frozen=True)
class _Quotes:
    """One line's quoting: whether it ends inside a quote (opened at ``opened``), and where text
    follows a closing quote on the same line."""

    unclosed: bool = False
    opened: int = 0
    text_after_close: int = -1


def _scan(line: str) -> _Quotes:
    """Follow the quotes of one line as YAML does; columns are 0-based."""
    quote, opened, after_close, i = "", 0, -1, 0
    closed_at = -1
    while i < len(line):
        char = line[i]
        if quote == '"':
            if char == "\\":
                i += 2
                continue
            if char == '"':
                quote, closed_at = "", i
        elif quote == "'":
            if char == "'" and line[i + 1 : i + 2] == "'":
                i += 2  # '' is a quote inside a single-quoted value
                continue
            if char == "'":
                quote, closed_at = "", i
        elif char in "\"'" and (i == 0 or line[i - 1] in _TOKEN_STARTS):
            quote, opened = char, i
        elif char == "#" and (i == 0 or line[i - 1] == " "):
            break  # a comment
        elif closed_at >= 0 and not char.isspace():
            if char not in ",]}:" and after_close < 0:
                after_close = i
            closed_at = -1  # what follows a closed value is looked at once
        i += 1
    return _Quotes(unclosed=bool(quote), opened=opened, text_after_close=after_close)


def explain(text: str, error: yaml.YAMLError) -> tuple[str, str]:
    """(where, what is wrong) for a syntax error in ``text``; where is "line N" or "line N, column M"."""
    mark = getattr(error, "problem_mark", None)
    problem = str(getattr(error, "problem", None) or error)
    if mark is None:
        return "", f"not valid YAML: {problem}"
    lines = text.splitlines()
    line, column = mark.line, mark.column  # 0-based
    here = f"line {line + 1}, column {column + 1}"
    if "'\\t'" in problem or "\\t" in problem:
        return f"line {line + 1}", "a tab character: YAML indents with spaces only"
    if problem.startswith("mapping values are not allowed"):
        return here, (
            "a colon followed by a space inside an unquoted value: "
            'put the whole value in double quotes ("...")'
        )
    if line < len(lines):
        same_line = _scan(lines[line])
        if same_line.text_after_close >= 0 and not same_line.unclosed:
            return f"line {line + 1}, column {same_line.text_after_close + 1}", (
                "text follows the closing quote of a value: a double quote inside a double-quoted value "
                'is written \\", or put the whole value in single quotes'
            )
    opened = [n for n in range(min(line, len(lines) - 1), -1, -1) if _scan(lines[n]).unclosed]
    if opened and ("found unexpected end of stream" in problem or "but found" in problem):
        start = opened[0]
        if line >= len(lines) or "end of stream" in problem:
            runs_on = " (the file ends before it is closed)"
        else:
            runs_on = f" (YAML read on to line {line + 1} looking for it)" if start != line else ""
        return f"line {start + 1}", f"a quote opened here is never closed{runs_on}"
    if "<block mapping start>" in problem or "<block sequence start>" in problem:
        return f"line {line + 1}", (
            "indented differently from the lines around it: YAML reads indentation as structure, so line "
            "the key up with the others at its level"
        )
    context = getattr(error, "context", None)
    context_mark = getattr(error, "context_mark", None)
    started = f" ({context} from line {context_mark.line + 1})" if context and context_mark else ""
    return here, f"not valid YAML: {problem}{started}"
