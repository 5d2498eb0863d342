"""Find the passage of the source documents a question is about: BM25 ranking over documents.yaml, with the
Q&A's normalisation and typo correction, plural folding, the domain's abbreviations, and a strict threshold.

The passages are loaded on first use only, so a question the framework answers never pays for them."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA

from framework_data.document_words import ABBREVIATIONS as _ABBREVIATIONS
from framework_data.document_words import PHRASES, STOPWORDS
from framework_data.english_words import common_words
from framework_data.plain_words import other_words
from framework_data.vocabulary import NEVER_CORRECT, Vocabulary, normalise


def stem(word: str) -> str:
    """Plural and verb endings folded: "apprenticeships" and "apprenticeship", "measured" and "measures"."""
    for suffix, keep in (
        # The "-ate" family folds as "-ation" does: "celebrate", "celebrated", "celebration" are one.
        ("ations", ""),
        ("ation", ""),
        # "institution" and "institute", "contribution" and "contribute" are one.
        ("utions", "ut"),
        ("ution", "ut"),
        ("ating", ""),
        ("ated", ""),
        ("ates", ""),
        ("ate", ""),
        ("ously", "ous"),  # "anonymously" finds "anonymous"
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + keep
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


@dataclass(frozen=True)
class Document:
    id: str
    file: str
    publisher: str
    title: str
    asked_as: tuple[str, ...]


@dataclass(frozen=True)
class DocPassage:
    id: str
    document: Document
    section: str
    text: str
    bullets: tuple[str, ...]


@dataclass(frozen=True)
class Found:
    passages: list[DocPassage]
    named: list[Document]  # the documents the question named, if any
    # The one passage holds every term of a question of three or more, and far outscores the next: the
    # question is about it, whatever else its words could be read as.
    decisive: bool = False
    # No passage answers it above the others: these are the places that mention what was asked.
    mentions: str = ""


def _phrased(tokens: list[str]) -> list[str]:
    """Tokens with the known phrases joined into their single terms."""
    out: list[str] = []
    i = 0
    phrases = _PHRASE_TOKENS
    while i < len(tokens):
        for length in (5, 4, 3, 2, 1):
            key = tuple(tokens[i : i + length])
            if len(key) == length and key in phrases:
                out.append(phrases[key])
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


_PHRASE_TOKENS = {tuple(normalise(k)): v for k, v in PHRASES.items()}


# "SO" in capitals is a Scientific Officer ("techs who aren't on SO grades"), not the word "so".
_SCIENTIFIC_OFFICER = re.compile(r"\bSOs?\b")


def terms_of(text: str) -> list[str]:
    """The stemmed content terms of a text."""
    text = _SCIENTIFIC_OFFICER.sub(" scientific officer ", text.replace("%", " percent "))
    tokens = [_ABBREVIATIONS.get(t, t) for t in _phrased(normalise(text))]
    return [stem(t) for t in tokens if t not in STOPWORDS]


class DocumentIndex:
    """BM25 over the passages, plus the words a question names each document by."""

    K1 = 1.2
    B = 0.6

    def __init__(self, documents: list[Document], passages: list[DocPassage]) -> None:
        self.documents = documents
        self.passages = passages
        self.bags = [Counter(terms_of(" ".join((p.section, p.text, *p.bullets)))) for p in passages]
        self.lengths = [sum(b.values()) for b in self.bags]
        self.average = sum(self.lengths) / max(1, len(self.lengths))
        df: Counter[str] = Counter()
        for bag in self.bags:
            df.update(bag.keys())
        n = len(passages)
        self.df = df
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self._by_start: dict[str, list[str]] = {}
        for term in df:
            if len(term) >= 5:
                self._by_start.setdefault(term[:5], []).append(term)
        # Typo correction toward the documents' own words, as the Q&A corrects toward the framework's.
        self.spelling = Vocabulary()
        for passage in passages:
            self.spelling.words.update(
                t for t in normalise(" ".join((passage.text, *passage.bullets))) if t.isalpha() and len(t) > 3
            )
        # A common English word is spelled as meant, though a document word is one letter away.
        self.spelling.written = set(common_words())
        self.spelling.freeze()
        by_phrase: dict[tuple[str, ...], list[Document]] = {}
        for doc in documents:
            for phrase in doc.asked_as:
                by_phrase.setdefault(tuple(normalise(phrase)), []).append(doc)
        # Longest first: "imperial update" names one document where "imperial" names two.
        self.names = sorted(by_phrase.items(), key=lambda item: -len(item[0]))

    def named(self, text: str) -> tuple[list[Document], str]:
        """The documents a question names ("the queen mary plan"), and the question without those words."""
        tokens = normalise(text)
        found: list[Document] = []
        kept: list[str] = []
        i = 0
        while i < len(tokens):
            for phrase, docs in self.names:
                if tuple(tokens[i : i + len(phrase)]) == phrase:
                    found += [d for d in docs if d not in found]
                    i += len(phrase)
                    break
            else:
                kept.append(tokens[i])
                i += 1
        return found, " ".join(kept)

    def score(self, index: int, terms: list[str], forms: dict[str, tuple[str, ...]] | None = None) -> float:
        """BM25 of a passage for the terms; a term with ``forms`` counts by its best-scoring form."""
        bag = self.bags[index]
        norm = self.K1 * (1 - self.B + self.B * self.lengths[index] / self.average)

        def one(t: str) -> float:
            return self.idf.get(t, 0.0) * bag[t] * (self.K1 + 1) / (bag[t] + norm) if t in bag else 0.0

        return sum(max((one(f) for f in (forms or {}).get(t, (t,))), default=0.0) for t in terms)

    def forms(self, term: str) -> tuple[str, ...]:
        """The passages' terms a question's term stands for: itself where a passage has it, else those it
        differs from only in its ending ("professionally": "professional", "unexpectedly": "unexpected");
        and the other words the documents say it with ("advertise": "publicised")."""
        also = self._said_plainly(term)
        if term in self.df or len(term) < 6:
            return ((term,) if term in self.df else ()) + also
        return tuple(k for k in self._by_start.get(term[:5], ()) if _endings_apart(k, term)) + also

    def _said_plainly(self, term: str) -> tuple[str, ...]:
        """The passages' terms for an everyday word ("money": "revenue", "income", "funding"), by their
        beginnings: the table's "communicat" finds the passages' "communic" of "communication"."""
        found: list[str] = []
        for other in other_words(term):
            if " " in other or len(other) < 4:
                continue
            found += [
                k
                for k in self._by_start.get(other[:5], ())
                if (k.startswith(other) or other.startswith(k)) and k not in found
            ]
        return tuple(found)

    def correct(self, token: str) -> str:
        if token in NEVER_CORRECT or token in STOPWORDS:
            return token
        corrected = self.spelling.correct(token)
        # One slip only: two edits turn a word the documents lack ("consultancy") into one they have.
        return corrected if OSA.distance(token, corrected) <= 1 else token


# What may follow a common stem for two words to be forms of one ("professional", "professionally").
_ENDINGS = frozenset(
    "s es ed ing ly ally edly ingly al ion ions ation ations er ers ment ments ness ity".split()
)
# Verbs that say how a thing is done more than what it is ("does queen mary run a conference").
_LIGHT_VERBS = frozenset("run hold held offer provid make mak do get hav tak put organis arrang".split())
_LIGHT = 0.5


def _endings_apart(one: str, other: str) -> bool:
    """Whether two terms are one stem with different endings (never "break" and "breakdown")."""
    shorter = min(len(one), len(other))
    stem_length = next((i for i in range(shorter) if one[i] != other[i]), shorter)
    rest = {one[stem_length:], other[stem_length:]} - {""}
    return stem_length >= 5 and rest <= _ENDINGS and len(rest) <= 2


@lru_cache(maxsize=1)
def document_index() -> DocumentIndex:
    """The passages of documents.yaml, read on first use."""
    import yaml

    text = resources.files("framework_data").joinpath("documents.yaml").read_text(encoding="utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    documents = {
        d["id"]: Document(d["id"], d["file"], d["publisher"], d["title"], tuple(d.get("asked_as", [])))
        for d in raw["documents"]
    }
    passages = [
        DocPassage(
            p["id"],
            documents[p["document"]],
            p.get("section", ""),
            p.get("text", ""),
            tuple(p.get("bullets", [])),
        )
        for p in raw["passages"]
    ]
    return DocumentIndex(list(documents.values()), passages)


@lru_cache(maxsize=1)
def _names_of_documents() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each phrase a question names a document by, with the document's file: read from the head of
    documents.yaml alone, so checking a question for a document's name never loads the passages."""
    import yaml

    text = resources.files("framework_data").joinpath("documents.yaml").read_text(encoding="utf-8")
    head = yaml.safe_load(text.split("\npassages:", 1)[0])
    return tuple(
        (tuple(normalise(phrase)), d["file"]) for d in head["documents"] for phrase in d.get("asked_as", [])
    )


def files_named(text: str) -> set[str]:
    """The files of the documents a question names ("what is queen mary doing about mentoring")."""
    tokens = normalise(text)
    return {
        file
        for phrase, file in _names_of_documents()
        if any(tuple(tokens[i : i + len(phrase)]) == phrase for i in range(len(tokens)))
    }


def without_document_names(text: str) -> list[str]:
    """The words of a question without the names of the documents in it ("is there any work shadowing at
    the icr": "is there any work shadowing at the")."""
    tokens = normalise(text)
    phrases = sorted((phrase for phrase, _ in _names_of_documents()), key=len, reverse=True)
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        phrase = next((p for p in phrases if tuple(tokens[i : i + len(p)]) == p), None)
        if phrase is None:
            kept.append(tokens[i])
        i += len(phrase) if phrase else 1
    return kept


MAX_NAMED = 3
_WORD = re.compile(r"[a-z0-9]+")


def passage_terms(passages: list[DocPassage]) -> set[str]:
    """The terms of passages, as the search reads them: their sections, text and bullets."""
    return set(terms_of(" ".join(" ".join((p.section, p.text, *p.bullets)) for p in passages)))


def passages_by_id(ids: list[str], index: DocumentIndex | None = None) -> Found | None:
    """The passages with these ids, as found again (a follow-up about what was just quoted)."""
    index = index or document_index()
    chosen = [p for p in index.passages if p.id in ids]
    if not chosen:
        return None
    return Found(chosen, list(dict.fromkeys(p.document for p in chosen)))


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


DECISIVE_LEAD = 1.5
# How rare in the documents a word must be to say by itself what a question is about.
RARE = 4.0
FAR_AHEAD = 2.0


def _asked(index: DocumentIndex, text: str) -> tuple[list[Document], str, list[str]]:
    """The documents a question names, the rest of its words, and their terms, typos corrected."""
    named, rest = index.named(_SCIENTIFIC_OFFICER.sub(" scientific officer ", text))
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
    words = [t for t in normalise(rest) if stem(_ABBREVIATIONS.get(t, t)) in telling]
    asked = " ".join(words) or " ".join(telling)
    return Found([index.passages[i] for i in ranked], named, mentions=asked)


_UNKNOWN_WEIGHT = 3.0  # a word no passage has counts against the match as a rare word would
