"""Find the passage of the source documents a question is about: BM25 ranking over the documents' index,
with the Q&A's normalisation and typo correction, plural folding, the domain's abbreviations, and a strict
threshold."""

from __future__ import annotations

from collections import Counter

from framework_data.document_index import (
    SCIENTIFIC_OFFICER,
    Document,
    DocumentIndex,
    Found,
    document_index,
    stem,
    terms_of,
)
from framework_data.document_words import ABBREVIATIONS
from framework_data.vocabulary import normalise

# Verbs that say how a thing is done more than what it is ("does queen mary run a conference").
_LIGHT_VERBS = frozenset("run ran hold held offer provid make mak do get hav tak put organis arrang".split())
_LIGHT = 0.5

MAX_NAMED = 3


def search(text: str, index: DocumentIndex | None = None, within: tuple[str, ...] = ()) -> Found | None:
    """The passages that clearly answer the question, or None. Clearly: the best passage holds most of the
    question's distinctive terms (weighted by how rare they are), and leads the next by a margin unless
    the question named its document (then up to three that hold them as well are quoted). ``within``: the
    files of the documents the conversation is about ("how many nominees are they aiming for"), taken as
    named when the question names none."""
    index = index or document_index()
    named, _, terms = _asked(index, text)
    if not named and within:
        named = [d for d in index.documents if d.file in within]
    if not terms:
        return None
    forms = {t: index.forms(t) for t in terms}
    # A term weighs as rare as it is itself, else as its rarest form.
    weights = {t: index.idf.get(t) or max((index.idf[f] for f in forms[t]), default=0.0) for t in terms}
    unknown = [t for t in terms if not forms[t] and len(t) >= 4]
    if unknown and len(unknown) * 2 >= len(terms):
        return None  # what is asked about is not in the documents at all ("weather", "parking")
    candidates = [i for i, p in enumerate(index.passages) if not named or p.document in named]
    scored = sorted(((index.score(i, terms, forms), i) for i in candidates), reverse=True)
    if not scored or scored[0][0] <= 0:
        return None

    def coverage(i: int) -> float:
        """How much of the question the passage holds; a verb as light as "run" missing counts little,
        since the documents word it their own way ("deliver", "hold")."""
        bag = index.bags[i]
        held = sum(weights[t] for t in terms if _holds(bag, forms[t]))
        missing = sum(
            weights[t] * (_LIGHT if t in _LIGHT_VERBS else 1.0) for t in terms if not _holds(bag, forms[t])
        )
        whole = held + missing + sum(_UNKNOWN_WEIGHT for t in unknown)
        return held / whole if whole else 0.0

    best_score, best = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0.0
    if not named and len(terms) >= 2 and all(weights[t] >= RARE for t in terms):
        # Words as rare as a person's name ("who is ken keating"): every place that has them all, up to a
        # few, since the one where they stand in the fewest words need not say the most of them.
        having = [i for _, i in scored if coverage(i) == 1.0]
        if 2 <= len(having) <= MAX_NAMED:
            return Found([index.passages[i] for i in having], [])
    if not named and len(terms) >= 2:
        # "is the framework just for lab techs": the passages holding every term, nearly as high as the
        # best, answer where they are one or two of one section ("All new technical roles will adopt the
        # framework and new JDs." beside the paragraph on adopting one).
        holding = [i for s, i in scored if s >= best_score * 0.8 and coverage(i) == 1.0]
        places = {(index.passages[i].document.id, index.passages[i].section) for i in holding}
        if holding and len(holding) <= 2 and len(places) == 1 and (holding[0] != best or len(holding) == 2):
            return Found([index.passages[i] for i in holding], [])
    # A document named, and one of its passages far ahead of the rest on the rarer words: that passage,
    # though the question has words it lacks ("what's the point of the icr's tech exchange").
    far_ahead = named and best_score >= second * FAR_AHEAD and coverage(best) >= 0.5
    if coverage(best) < (0.6 if named else 0.75) and not far_ahead:
        return None
    if len(terms) == 1 and not named and index.df.get(terms[0], 0) > 3:
        return None  # one common word ("training") names no passage in particular
    if named:
        close = [best] + [i for s, i in scored[1:MAX_NAMED] if s >= best_score * 0.8 and coverage(i) >= 0.6]
        if len(terms) <= 2 and coverage(best) == 1.0:
            # "what's the icr doing on authorship and acknowledgement": a topic, not one action; every
            # passage of the document that holds all of it, up to three, in the order they score.
            close = [i for _, i in scored if coverage(i) == 1.0][:MAX_NAMED]
        return Found([index.passages[i] for i in close], named)
    if second and best_score < second * 1.25:
        return None
    decisive = len(terms) >= 3 and coverage(best) == 1.0 and best_score >= second * DECISIVE_LEAD
    return Found([index.passages[best]], [], decisive)


def search_broadly(text: str, index: DocumentIndex | None = None) -> Found | None:
    """What the documents a question names say on the broadest part of it, where they say nothing on the
    whole ("is queen mary doing anything like imperial's prof reg pilot": its registration fund, though
    it runs no pilot): the question's terms the named documents use, the one fewest of their passages
    hold left out in turn, until a search finds passages."""
    index = index or document_index()
    named, _, terms = _asked(index, text)
    if not named:
        return None
    bags = [index.bags[i] for i, p in enumerate(index.passages) if p.document in named]
    held = {t: sum(1 for bag in bags if _holds(bag, index.forms(t))) for t in terms}
    kept = sorted((t for t in terms if held[t]), key=lambda t: -held[t])
    names = " ".join(" ".join(d.asked_as[:1]) for d in named)
    while kept:
        found = search(f"{names} {' '.join(kept)}", index)
        if found is not None:
            return found
        kept.pop()
    return None


DECISIVE_LEAD = 1.5
# How rare in the documents a word must be to say by itself what a question is about.
RARE = 4.0
FAR_AHEAD = 2.0


def _asked(index: DocumentIndex, text: str) -> tuple[list[Document], str, list[str]]:
    """The documents a question names, the rest of its words, and their terms, typos corrected."""
    named, rest = index.named(SCIENTIFIC_OFFICER.sub(" scientific officer ", text))
    return named, rest, list(dict.fromkeys(terms_of(" ".join(index.correct(t) for t in normalise(rest)))))


def _holds(bag: Counter[str], forms: tuple[str, ...]) -> bool:
    """Whether a passage's terms hold one of a question term's forms."""
    return any(f in bag for f in forms)


MAX_MENTIONS = 6


def mentioning(text: str, index: DocumentIndex | None = None) -> Found | None:
    """Where no passage answers a short question above the others ("does the framework mention
    apprenticeships", "is there an awards scheme"): the few passages holding every one of its words, as
    places that mention it; the opening passages of a document named with nothing else asked ("what is
    queen mary doing for technicians"); None when that is nothing."""
    index = index or document_index()
    named, rest, terms = _asked(index, text)
    if named and not terms:
        opening = [p for p in index.passages if p.document == named[0]][:2]
        return Found(opening, named) if opening else None
    # Words most passages have ("framework") say where to look no more than "the" does.
    telling = [t for t in terms if index.df.get(t, 0) * 8 <= len(index.passages)] or terms
    forms = {t: index.forms(t) for t in telling}
    if not telling or len(telling) > 3 or not all(forms.values()):
        return None

    def holds_all(i: int) -> bool:
        return all(_holds(index.bags[i], forms[t]) for t in telling)

    places = [i for i, p in enumerate(index.passages) if not named or p.document in named]
    candidates = [i for i in places if holds_all(i)]
    if not candidates:
        return None
    # The most telling few first: places to read, not every passage with the word.
    ranked = sorted(candidates, key=lambda i: -index.score(i, telling, forms))[:MAX_MENTIONS]
    words = [t for t in normalise(rest) if stem(ABBREVIATIONS.get(t, t)) in telling]
    asked = " ".join(words) or " ".join(telling)
    return Found([index.passages[i] for i in ranked], named, mentions=asked)


_UNKNOWN_WEIGHT = 3.0  # a word no passage has counts against the match as a rare word would
