"""Split the source documents into quotable passages: writes framework_data/documents.yaml.

Run by hand when the source documents change, then review the diff and commit the YAML:

    python -m framework_data.build_documents SEEDS_DIR [OUT_FILE]

SEEDS_DIR holds the text extractions (000_….txt to 004_….txt). Each document has its own layout (slides
with markdown headings, plain slides, a numbered guide, tab-separated action-plan rows, an action plan whose
success measures follow its actions), so each has a splitter of its own. The text is quoted as extracted:
only broken hyphenation, stray page furniture and markup are cleaned. Lancaster's figures and templates
are left out: the framework data already answers them cell by cell."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Which document each file is, and the words a question names it by (data the retriever reads).
DOCUMENTS = {
    "000": (
        "Imperial College London",
        "A Technical Career Structure (slides)",
        ["imperial", "imperial college", "imperial slides", "the slides", "career structure slides"],
    ),
    "001": (
        "Imperial College London",
        "Update on the Technician Commitment",
        [
            "imperial",
            "imperial college",
            "imperial update",
            "tc update",
            "update on the technician commitment",
        ],
    ),
    "002": (
        "Lancaster University",
        "Technicians Career Framework Guide",
        ["lancaster", "lancaster guide", "the guide", "framework guide"],
    ),
    "003": (
        "Queen Mary University of London",
        "Technician Commitment 3 Year Action Plan (2022 - 2025)",
        ["queen mary", "qmul", "qm", "qms", "queen mary university", "queen marys", "queen mary plan"],
    ),
    "004": (
        "The Institute of Cancer Research",
        "Technician Commitment Action Plan",
        ["icr", "institute of cancer research", "the icr plan", "cancer research"],
    ),
}


@dataclass
class Passage:
    section: str
    text: str = ""
    bullets: list[str] = field(default_factory=list)


_HTML = re.compile(r"</?[a-z][^>]*>")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def clean(text: str) -> str:
    """One line of extracted text as it reads: markup and links reduced to their words, hyphenation
    broken across a line joined, runs of spaces closed."""
    text = _LINK.sub(r"\1", _HTML.sub(" ", text))
    text = text.replace("**", "").replace("\u00a0", " ")
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)  # "organi- sation": a line-end hyphen
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)  # *italic* emphasis
    return re.sub(r"\s+", " ", text).strip()


def blocks(text: str) -> list[list[str]]:
    """Blank-line separated blocks of non-empty lines."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.rstrip())
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def _bullet(line: str) -> str | None:
    match = re.match(r"^\s*(?:[-•]\s*-?|\d+\.)\s+(.*)$", line)
    return clean(match.group(1)) if match else None


def _add_block(out: list[Passage], section: str, lines: list[str]) -> None:
    """A paragraph, or a list (joined to the sentence introducing it when that directly precedes it)."""
    lines = [line for line in lines if line.strip() not in ("-", "•")]
    if not lines:
        return
    bullets = [b for b in (_bullet(line) for line in lines) if b is not None]
    if bullets and len(bullets) == len(lines):
        last = out[-1] if out else None
        if last and last.section == section and not last.bullets and len(last.text) < 300:
            last.bullets.extend(bullets)
        else:
            out.append(Passage(section, bullets=bullets))
        return
    text = clean(" ".join(lines))
    last = out[-1] if out else None
    same = last is not None and last.section == section
    if same and last and _quote_still_open(last.text):
        last.text += f" {text}"  # a quotation's next paragraph: one passage, with whoever said it
    elif same and last and last.text[:1] in '"“' and len(text) < 130 and not text.endswith("."):
        last.text += f" ({text})"  # who said the quotation above
    elif same and last and not last.bullets and len(last.text) < 40 and not last.text.endswith("."):
        last.text = f"{last.text}: {text}"  # a bold title line over its paragraph
    elif text:
        out.append(Passage(section, text=text))


def _quote_still_open(text: str) -> bool:
    """A paragraph that opens a quotation and does not close it: the quotation goes on in the next."""
    return text.startswith(('"', "“")) and not text.rstrip().endswith(('"', "”", ")"))


def _table(lines: list[str]) -> str:
    """A two-line tab table (headers, then values) read as "header: value" pairs."""
    heads, values = (re.split(r"\t+", clean_keep_tabs(line)) for line in lines[:2])
    label = values[0] if len(values) == len(heads) + 1 else ""
    values = values[1:] if label else values
    pairs = "; ".join(f"{h}: {v}" for h, v in zip(heads, values, strict=False) if h and v)
    return f"{label} {pairs}".strip()


def clean_keep_tabs(line: str) -> str:
    return "\t".join(clean(cell) for cell in line.strip().split("\t"))


def split_slides(text: str) -> list[Passage]:
    """Markdown slides (000): one passage per paragraph, list or table under its heading."""
    out: list[Passage] = []
    headings: list[str] = []
    header: list[str] = []
    for lines in blocks(text):
        first = lines[0]
        heading = re.match(r"^(#+)\s+(.*)$", first)
        if heading:
            level = len(heading.group(1))
            headings = [*headings[: level - 1], clean(heading.group(2))]
            lines = lines[1:]
            if not lines:
                continue
        section = ": ".join(h for h in headings[-2:] if h)
        if "\t" in first and len(lines) == 2 and lines[1].count("\t") >= 3:
            out.append(Passage(section, text=_table(lines)))
        elif len(lines) == 1 and first.count("\t") >= 3 and "<p>" not in first:
            header = [clean(c) for c in first.split("\t")]  # the columns of the next block's row
        elif "<p>" in "".join(lines):
            values = [clean(c) for c in lines[-1].split("\t")]
            out.append(Passage(section, bullets=[f"{h}: {v}" for h, v in zip(header, values, strict=False)]))
        elif re.fullmatch(r"https?://\S+|<https?://\S+>", first.strip()):
            continue  # a bare link, not a passage
        else:
            _add_block(out, section, lines)
    return [p for p in out if p.bullets or len(p.text) >= 40]


def _is_plain_heading(lines: list[str]) -> bool:
    line = lines[0].strip()
    return (
        len(lines) == 1
        and len(line) < 60
        and (line.endswith("...") or not line.endswith((".", ":", ",")))
        and _bullet(line) is None
        and not re.search(r"\d{2,}", line.replace("2018-19", ""))
    )


def split_plain_slides(text: str) -> list[Passage]:
    """Slides without markup (001): a short line alone is a slide title, CAPITALS a theme within it."""
    out: list[Passage] = []
    title, theme = "", ""
    for lines in blocks(text):
        if _is_plain_heading(lines):
            line = clean(lines[0])
            if line.isupper():
                theme = line.capitalize()
            else:
                title, theme = line, ""
            continue
        _add_block(out, ": ".join(p for p in (title, theme) if p), lines)
    return out


_GUIDE_HEADING = re.compile(r"^(\d+(?:\.\d+)*\.?)\s+[A-Z].{2,90}$")


def split_guide(text: str) -> list[Passage]:
    """Lancaster's guide (002): its numbered sections' prose. Figures, templates and the contents page
    are left out: the framework data holds them as cells."""
    out: list[Passage] = []
    section = ""
    for lines in blocks(text):
        first = lines[0].strip()
        if first.startswith("7. Appendix"):
            break  # the templates: job description, grid, development plan
        if "....." in first or first == "Contents":
            continue
        if _GUIDE_HEADING.match(first) and len(lines) == 1 and first.count(". ") <= 1:
            section = clean(first)
            continue
        if not section or any("\t" in line for line in lines) or first.startswith("Figure"):
            continue
        if first.startswith(("Grade ", "Competency")):
            continue
        _add_block(out, section, lines)
    return out


_QM_THEMES = (
    "Career Development, Progression and Recruitment",
    "Visibility",
    "Recognition",
    "Sustainability",
    "Evaluating Impact",
    "Governance",
)
_QM_STATUS = ("Ongoing", "New", "Athena Swan linked action")


def _qm_row(cells: list[str], theme: str, heading: str) -> tuple[str, str, str, str, list[str]]:
    """The theme, heading, status, action and outputs of one action-plan row; a blank theme or heading
    cell means "as the row above"."""
    cells = [c.strip() for c in cells if c.strip() not in ("", "ĺ", "-", "_")]
    status = next((c for c in cells if c in _QM_STATUS), "")
    rest = [c for c in cells if c != status]
    outputs_at = next((i for i, c in enumerate(rest) if c.startswith("*")), len(rest))
    outputs = [clean(o) for o in " ".join(rest[outputs_at:]).split("*") if o.strip()]
    before = [clean(c) for c in rest[:outputs_at]]
    action = before[-1] if before else ""
    labels = before[:-1]
    for label in labels:
        if label in _QM_THEMES or label.startswith("Career Development"):
            theme, heading = label, ""
        else:
            heading = label
    return theme, heading, status, action, outputs


def split_qm_plan(text: str) -> list[Passage]:
    """Queen Mary's action plan (003): the themes, then one passage per row (its action, with its key
    outputs/measures as a list). A page whose rows were wrapped over several lines is read column by
    column."""
    out: list[Passage] = []
    theme, heading = "", ""
    pages = re.split(r"^Technician Commitment$", text, flags=re.M)
    for line in pages[0].splitlines():
        if line.strip() and "\t" not in line and "Action Plan" not in line:
            out.append(Passage("The Themes of the Technician Commitment", text=clean(line)))
    for page in pages:
        rows = [
            line.split("\t")
            for line in page.splitlines()
            if line.count("\t") >= 2 and not re.search(r"\bof L[a-z]+", line) and "Theme\tHeading" not in line
        ]
        if not rows:
            continue
        longest = sorted(max(len(c) for c in cells) for cells in rows)
        if longest[len(longest) // 2] > 90:
            for cells in rows:
                theme, heading, status, action, outputs = _qm_row(cells, theme, heading)
                out.append(_qm_passage(theme, heading, status, action, outputs))
        else:
            out.extend(_qm_wrapped(rows, theme))
    return out


def _qm_wrapped(lines: list[list[str]], theme: str) -> list[Passage]:
    """Rows wrapped over several lines (theme, heading, status, action, outputs in fixed columns): a row
    starts where an output bullet starts after an action that ended its sentence."""
    rows: list[dict[str, str]] = []
    for cells in lines:
        cells = [*(c.strip() for c in cells), "", "", "", "", ""][:5]
        label, heading, status, action, output = cells
        starts = output.startswith("*") and (not rows or rows[-1]["action"].rstrip().endswith("."))
        if starts or not rows:
            rows.append({"theme": "", "heading": "", "status": "", "action": "", "outputs": ""})
        row = rows[-1]
        row["action"] += " " + action
        row["outputs"] += " " + output
        if status in _QM_STATUS:
            row["status"] = status
        if heading:
            row["heading"] = heading
        if label in _QM_THEMES:
            row["theme"] = label
    found = []
    heading = ""
    for row in rows:
        heading = row["heading"] or heading
        outputs = [clean(o) for o in row["outputs"].split("*") if o.strip()]
        found.append(
            _qm_passage(row["theme"] or theme, heading, row["status"], clean(row["action"]), outputs)
        )
    return found


def _qm_passage(theme: str, heading: str, status: str, action: str, outputs: list[str]) -> Passage:
    section = ": ".join(p for p in (theme, heading) if p) + (f" ({status})" if status else "")
    bullets = [f"Key output/measure: {o}" for o in outputs]
    return Passage(section, text=action, bullets=bullets)


_ICR_ITEM = re.compile(r"^\((\d[A-Z])\)\s*(.*)$")
_ICR_THEME = re.compile(r"^\((\d)\)\s+([A-Z ]+)$")


def split_icr_plan(text: str) -> list[Passage]:
    """The ICR's action plan (004): one passage per numbered action (1A, 1B, …) with its success measures
    and risks. A page lists its actions first and their measures after, in the same order; a tabbed page
    has action, measures and owner side by side."""
    actions: dict[str, Passage] = {}
    order: list[str] = []
    waiting: list[str] = []  # actions whose success measures have not come yet
    theme = ""
    current: str | None = None
    into = "action"
    untold: list[str] = []
    label = ""  # a measures or risks heading whose text is on the next line
    for lines in blocks(text):
        if untold and lines and not _ICR_ITEM.match(lines[0].strip()) and current in actions:
            first = untold.pop(0)
            actions[first].text = clean(" ".join(lines))
            continue
        for line in _icr_lines(lines):
            head = line.strip()
            if match := _ICR_THEME.match(head):
                theme, current = f"({match.group(1)}) {match.group(2).strip().capitalize()}", None
                continue
            if match := _ICR_ITEM.match(head):
                key = match.group(1)
                title, _, rest = match.group(2).partition(":")
                passage = Passage(f"{theme}: ({key}) {clean(title)}")
                if current in actions and not actions[current].text and into == "action":
                    untold.append(current)  # two headings in a row: their texts follow in order
                actions[key], current, into = passage, key, "action"
                order.append(key)
                waiting.append(key)
                if rest.strip():
                    passage.text = clean(rest)
                continue
            if head.startswith(("Owner:", "TC Aims", "MIT Recs", "Programme Manager", "RDC", "Dev")):
                current = None
                continue
            if head.startswith("Success measures"):
                target = waiting.pop(0) if waiting else current
                current, into = target, "measure"
                measure = head.partition(":")[2].strip()
                if target and measure:
                    actions[target].bullets.append(f"Success measures: {clean(measure)}")
                label = "" if measure else "Success measures"
                continue
            if current is None or current not in actions:
                continue
            passage = actions[current]
            if head.startswith("Risks and dependencies"):
                into = "risk"
                risk = head.partition(":")[2].strip()
                if risk:
                    passage.bullets.append(f"Risks and dependencies: {clean(risk)}")
                label = "" if risk else "Risks and dependencies"
            elif into == "action":
                item = _bullet(head)
                if item is not None:
                    passage.bullets.append(item.lstrip("-"))
                else:
                    passage.text = clean(f"{passage.text} {head}")
            elif label or not passage.bullets:
                passage.bullets.append(f"{label or 'Success measures'}: {clean(head)}")
                label = ""
            else:
                passage.bullets[-1] = clean(f"{passage.bullets[-1]} {head}")
    themes = [
        Passage(f"({n}) {name}", text=clean(desc))
        for n, name, desc in re.findall(
            r"^\((\d)\) ([A-Z ]+)\n+(?:statements\.\n+)?([A-Z][^\n]+)$", text, re.M
        )
    ]
    seen: set[str] = set()
    unique_themes = [t for t in themes if not (t.section in seen or seen.add(t.section))]  # type: ignore[func-returns-value]
    return unique_themes + [actions[k] for k in order]


def _icr_lines(lines: list[str]) -> list[str]:
    """A tabbed row (action, measures, owner side by side) as the lines a plain page would have."""
    if not any("\t" in line for line in lines):
        return lines
    columns: list[list[str]] = [[], [], []]
    for line in lines:
        for i, cell in enumerate(line.split("\t")[:3]):
            if cell.strip():
                columns[i].append(cell.strip())
    found: list[str] = []
    for column in columns:
        for cell in column:
            # "Success measures: … Risks and dependencies: …" in one cell: two lines as on a plain page.
            found += [part for part in re.split(r"\s(?=Risks and dependencies:)", cell) if part]
    return found


SPLITTERS = {
    "000": split_slides,
    "001": split_plain_slides,
    "002": split_guide,
    "003": split_qm_plan,
    "004": split_icr_plan,
}


def build(seeds: Path) -> dict[str, object]:
    documents = []
    passages = []
    for path in sorted(seeds.glob("[0-9][0-9][0-9]_*.txt")):
        number = path.name[:3]
        if number not in DOCUMENTS:
            continue
        publisher, title, asked_as = DOCUMENTS[number]
        documents.append(
            {"id": number, "file": path.name, "publisher": publisher, "title": title, "asked_as": asked_as}
        )
        for index, passage in enumerate(SPLITTERS[number](path.read_text(encoding="utf-8")), start=1):
            entry: dict[str, object] = {
                "id": f"{number}-{index:03d}",
                "document": number,
                "section": passage.section,
            }
            if passage.text:
                entry["text"] = passage.text
            if passage.bullets:
                entry["bullets"] = passage.bullets
            passages.append(entry)
    return {"documents": documents, "passages": passages}


HEADER = """\
# The source documents split into passages, quoted with their source when a question asks what they say.
# Generated by framework_data/build_documents.py from the seed text files: do not edit by hand; change the
# script (or the seeds) and run it again:  python -m framework_data.build_documents SEEDS_DIR
"""


def main(argv: list[str]) -> int:
    import yaml

    if not argv or not Path(argv[0]).is_dir():
        sys.stderr.write("usage: python -m framework_data.build_documents SEEDS_DIR [OUT_FILE]\n")
        return 2
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).with_name("documents.yaml")
    data = build(Path(argv[0]))
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    out.write_text(HEADER + body, encoding="utf-8")
    sys.stderr.write(f"{len(data['passages'])} passages from {len(data['documents'])} documents -> {out}\n")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
