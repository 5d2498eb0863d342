"""Questions the framework's data does not answer but the source documents do: the passages quoted, with
their document and section as the source. Used only where the answer would otherwise be "I couldn't match
that", or where the question names a document ("what does the Queen Mary plan say about …")."""

from __future__ import annotations

import re

from cards.model import Card, Section
from framework_data.asks import only_framing
from framework_data.catalogue import Catalogue
from framework_data.document_index import (
    DocPassage,
    Found,
    document_index,
    files_named,
    passage_terms,
    passages_by_id,
    terms_of,
    without_document_names,
)
from framework_data.document_search import RARE, mentioning, search
from framework_data.opportunities import opportunity_named
from framework_data.query import Intent, Query
from handlers.qa.common import ask_action
from handlers.qa.followup import Discussed
from handlers.qa.search import search_card

# What a question that named no role or competency can be read as and still be about a document.
_FALLS_THROUGH = {Intent.UNKNOWN}
# What a follow-up to a quote from the documents can be read as and still be about them ("anything on
# signposting opportunities early on?" reads as development, "what are they doing on prof reg?" as the
# competency).
_FOLLOWS_A_QUOTE = {Intent.UNKNOWN, Intent.DEVELOPMENT, Intent.PASSAGE, Intent.COMPETENCY}
_MAY_NAME_A_DOCUMENT = {Intent.UNKNOWN, Intent.PASSAGE, Intent.DEVELOPMENT, Intent.PATH, Intent.COMPETENCY}


def _answered_elsewhere(query: Query) -> bool:
    """Roles, cells, comparisons, the asker's own role, outside topics and advertised jobs have answers of
    their own, always."""
    return bool(
        query.roles
        or query.ambiguous
        or query.bands
        or query.levels
        or query.local_grades
        or query.jobs
        or query.outside
        or (query.about_me and query.intent is not Intent.UNKNOWN)  # nothing of the asker's was read
        or query.unknown
    )


def _may_be_the_documents_alone(query: Query, names_a_document: bool = False) -> bool:
    """A grade or an advertised job has its own answer even in a question that names a document ("what did
    imperial get from lord sainsbury" is not about the asker, whatever "get" suggests). An outside topic
    too, unless the question names another institution's plan, which may speak of it ("what participation
    is queen mary aiming for at its conference")."""
    return not (
        query.bands
        or query.levels
        or query.local_grades
        or query.jobs
        or (query.outside and not names_a_document)
        or query.ambiguous
        or query.unknown
    )


def _framework_mentions(catalogue: Catalogue, query: Query) -> bool:
    """The framework's own text or opportunities mention what was asked ("mentoring"): that answers first."""
    loaded = catalogue.framework(query.framework)
    terms = query.terms
    if not terms:
        return False
    return search_card(loaded, terms) is not None or opportunity_named(loaded, terms) is not None


def _only_the_documents_say(found: Found, own: str) -> bool:
    """The passages found are all from documents the question's framework is not built from (the Queen Mary
    and ICR plans, the Imperial update): its data cannot answer this, so words it read as a role or a
    competency ("mentoring for technicians at queen mary") are the question's subject, not what is asked.
    A grade, an advertised job, the asker's own role or an outside topic still has its own answer."""
    return bool(found.named) and all(p.document.file != own for p in found.passages)


def _own_passage(catalogue: Catalogue, query: Query) -> bool:
    """The question was read as a passage that only a question about its framework can ask for ("how was
    imperial planning to measure ..."): as specific as any document it names."""
    if query.intent is not Intent.PASSAGE or not query.passage:
        return False
    passages = catalogue.framework(query.framework).framework.passages
    return any(p.id == query.passage and p.own_framework_only for p in passages)


def _quoted_from(catalogue: Catalogue, query: Query) -> str:
    """The file the framework's own passage for this question is quoted from ("" when there is none)."""
    if not query.passage:
        return ""
    loaded = catalogue.framework(query.framework)
    passage = next((p for p in loaded.framework.passages if p.id == query.passage), None)
    if passage is None:
        return ""
    return passage.cited.document if passage.cited else loaded.framework.source.document


def document_follow_up(text: str, query: Query, discussed: Discussed | None) -> Found | None:
    """ "how many nominees are they aiming for" after a quote from the ICR's plan: the documents being
    discussed searched, where the framework has nothing to say; a question pointing back at what was just
    quoted ("can managers get at it too?") is answered from it again, unless the question names another
    document."""
    if discussed is None:
        return None
    again = passages_by_id(discussed.passages)
    if again is None:
        return None
    # "could a grant already be paying the membership fees?" after the ICR's registration support: fees
    # are no framework's, but what was just quoted speaks of them.
    outside_but_quoted = query.outside and not (query.roles or query.ambiguous or files_named(text))
    if outside_but_quoted and _holds_its_rare_words(again.passages, text, enough=_MOST):
        return again
    if _answered_elsewhere(query):
        return None
    files = tuple(d.file for d in again.named)
    if query.passage:
        # "can other staff put their techs forward too, not just the TC team?" after Queen Mary's awards:
        # "the TC" is what its plan is about, not the passage on the Technician Commitment; the plan
        # answers where one of its passages holds the question's rare words.
        if files_named(text):
            return None
        within = search(text, within=files)
        if within is not None and _holds_its_rare_words(within.passages[:1], text):
            return within
        return again if _holds_its_rare_words(again.passages, text) else None
    if discussed.all_said and query.intent in _FOLLOWS_A_QUOTE:
        return again  # "what could get in the way?" after a plan's action: its risks, quoted already
    found = search(text, within=files) if query.intent in _FOLLOWS_A_QUOTE else None
    elsewhere = not discussed.at_it and _says_more(found, again, text)
    if discussed.pointing and not files_named(text) - set(files) and not elsewhere:
        # Whatever else its words could be read as ("managers" is a career path), "it" is what was quoted,
        # unless the question's own words find another passage ("what do they say about apprenticeships").
        return again
    if found is None and discussed.mostly_said and query.intent in _FOLLOWS_A_QUOTE:
        return again  # "will there be a list of who's up for being a mentor?": the scheme just quoted
    return found


_MOST = 0.6


def _holds_its_rare_words(passages: list[DocPassage], text: str, enough: float = 1.0) -> bool:
    """The passages hold the words of the question rare in the documents, in one of their forms
    ("forward": the plan's "nominate"): every one, or ``enough`` of them and two at least."""
    index = document_index()
    rare = [t for t in terms_of(text) if index.idf.get(t, 0.0) >= RARE]
    held_terms = passage_terms(passages)
    held = [t for t in rare if t in held_terms or set(index.forms(t)) & held_terms]
    if enough < 1.0:
        return len(held) >= 2 and len(held) >= enough * len(rare)
    return bool(rare) and len(held) == len(rare)


def _says_more(found: Found | None, again: Found, text: str) -> bool:
    """Whether a passage found for the question holds words of it that what was quoted does not, or is
    headed by them where what was quoted only mentions them ("what are they doing on prof reg?": the
    ICR's "(3A) Enhanced Professional Registration Support", not its welcome email that mentions it)."""
    if found is None or {p.id for p in found.passages} <= {p.id for p in again.passages}:
        return False
    asked = set(terms_of(text))
    quoted = passage_terms(again.passages)
    headed = set(terms_of(" ".join(p.section for p in found.passages)))
    quoted_headings = set(terms_of(" ".join(p.section for p in again.passages)))
    return bool(asked - quoted) or bool(asked & headed - quoted_headings)


# Words of a follow-up that names another document and asks nothing new ("and queen mary?", "what about
# the icr then").
_ONLY_ASKING = frozenset(
    "and what about how at in for the there then ok so also too same over does do did similar thing "
    "anything like that as well".split()
)


def asked_of_another(text: str, asked: list[str]) -> Found | None:
    """ "and queen mary?" after "is there any work shadowing at the icr?": the words asked before, searched
    in the document this message names and nothing else, or the places in it that mention them."""
    if not asked or not files_named(text):
        return None
    if any(t not in _ONLY_ASKING for t in without_document_names(text)):
        return None
    again = f"{text} {' '.join(asked)}"
    return search(again) or mentioning(again)


def documents_found(text: str, query: Query, catalogue: Catalogue) -> Found | None:
    """The passages of the documents that answer this question, or None when the question is the
    framework's to answer or no passage clearly answers it."""
    own = catalogue.framework(query.framework).framework.source.document
    if query.outside and only_framing(catalogue, query.outside):
        # "who do i talk to about switching to the new JD": what the documents say of it, if anything.
        framed = search(text)
        if framed is not None:
            return framed
    if (
        files_named(text)
        and not query.roles
        and _may_be_the_documents_alone(query, names_a_document=True)
        and (found := search(text)) is not None
        and _only_its_words(found, text, catalogue)
    ):
        # "what does the lancaster guide say techs do when something like a flood hits?": a document named,
        # and a word no cell has but its passage does ("flood or pandemic"), whatever else it reads as.
        return found
    others = files_named(text) - {own}
    if (
        others
        and not _own_passage(catalogue, query)
        and _may_be_the_documents_alone(query, names_a_document=True)
    ):
        found = search(text)
        if found is not None and _only_the_documents_say(found, own):
            return found
    # Development the framework maps itself ("what opportunities for growth are there"), not a document's.
    # The PDP template and the grid too ("pdp - what do i write under development activity?").
    framework_answers = query.intent in (Intent.DEVELOPMENT, Intent.PDP, Intent.GRID)
    if (
        len(query.terms) >= 3
        and not query.rows
        and not framework_answers
        and _may_be_the_documents_alone(query)
    ):
        # Words the framework left unread: "on the self assessment do i just circle a number".
        found = search(" ".join(query.terms))
        if found is not None and found.decisive:
            return found
    # "imperial slides - is the ntdc government funded": a crosswalk word alone, with no grade, band or
    # job to map, is what a document named is asked about.
    bare_crosswalk = query.intent is Intent.CROSSWALK
    if query.intent is Intent.ROLE and query.terms and not query.rows and not query.ambiguous:
        # "how did the technical managers take the bioeng booklet", "does my development have to be about
        # my weak spots": no cell was read, and a passage holds what the question is about.
        found = search(text)
        if found is not None and _about_the_passage(found, text, catalogue, query):
            return found
    if _answered_elsewhere(query) or (query.intent not in _MAY_NAME_A_DOCUMENT and not bare_crosswalk):
        return None
    last_resort = query.intent in _FALLS_THROUGH or (query.intent is Intent.PASSAGE and not query.passage)
    found = search(text)
    if found is None and last_resort and not query.rows and not _framework_mentions(catalogue, query):
        found = mentioning(text)  # no passage above the others: the places that mention it
    if found is None or (not found.named and not last_resort):
        return None
    if query.rows and not last_resort and any(d.file == own for d in found.named):
        # "what does the guide say about budget management": the framework's competency; unless the rest
        # of the question is a passage's ("a key tech is leaving unexpectedly - ... about planning").
        beyond = search(" ".join(query.terms)) if len(query.terms) >= 3 else None
        return beyond if beyond is not None and beyond.decisive else None
    quoted_from = _quoted_from(catalogue, query)
    if quoted_from and any(d.file == quoted_from for d in found.named):
        return None  # the framework's own passage is from the document named: it was chosen for this
    return found


def _about_the_passage(found: Found, text: str, catalogue: Catalogue, query: Query) -> bool:
    """Whether a question read as a role with no cell is about the passage found instead: words rare in the
    documents, all in the passage, that no cell of the framework has; one is enough beside the asker's own
    role ("does my development have to be about my weak spots"), two beside roles named ("the technical
    managers" and "the bioeng booklet")."""
    if query.about_me and not (query.roles or query.yes_no):
        return False
    index = document_index()
    held = passage_terms(found.passages[:1])
    rare = [t for t in terms_of(text) if index.idf.get(t, 0.0) >= RARE]
    enough = 2 if query.roles else 1
    loaded = catalogue.framework(query.framework)
    return len(rare) >= enough and set(rare) <= held and search_card(loaded, rare) is None


def _only_its_words(found: Found, text: str, catalogue: Catalogue) -> bool:
    """Whether the passage found holds every word of the question rare in the documents, there is one at
    least, and no cell of the framework has them."""
    index = document_index()
    rare = [t for t in terms_of(" ".join(without_document_names(text))) if index.idf.get(t, 0.0) >= RARE]
    held = passage_terms(found.passages[:1])
    return bool(rare) and set(rare) <= held and search_card(catalogue.primary, rare) is None


def _source(passage: DocPassage) -> str:
    doc = passage.document
    where = f": {passage.section}" if passage.section else ""
    return f"{doc.publisher}, {doc.title}{where} [{doc.file}]"


def _mentions_card(found: Found) -> Card:
    """Each place that mentions what was asked, by its document and section, with the sentences that do."""
    asked = set(terms_of(found.mentions))
    sections = []
    for p in found.passages:
        sentences = re.split(r"(?<=[.!?])\s+", " ".join((p.text, *p.bullets)))
        saying = [x for x in sentences if asked & set(terms_of(x))] or sentences[:1]
        sections.append(Section(heading=f"{p.document.publisher}: {p.section}", text=" ".join(saying[:2])))
    return Card(
        title=f"Where the documents mention “{found.mentions}”",
        sections=sections,
        actions=[ask_action("What can I ask?", "help")],
        sources=list(dict.fromkeys(_source(p) for p in found.passages)),
    )


def documents_card(found: Found) -> Card:
    """Each passage in the document's own words, under its section, with its source."""
    if found.mentions:
        return _mentions_card(found)
    sections = [
        Section(
            heading=p.section or p.document.title,
            text=p.text,
            bullets=list(p.bullets),
        )
        for p in found.passages
    ]
    first = found.passages[0].document
    sections.append(
        Section(
            note="Quoted from the source documents. You can also ask about a role or grade, a competency, "
            "how to progress, or what another document says (Imperial, Queen Mary, the ICR)."
        )
    )
    return Card(
        title=f"What {first.publisher} wrote",
        subtitle=first.title,
        sections=sections,
        actions=[ask_action("What can I ask?", "help")],
        sources=list(dict.fromkeys(_source(p) for p in found.passages)),
    )
