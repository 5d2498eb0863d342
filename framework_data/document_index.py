"""The source documents' passages as the search reads them: each passage's terms (plural and verb endings
folded, the domain's abbreviations and phrases joined, typos corrected), their rarity, and the names a
question calls each document by.

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
SCIENTIFIC_OFFICER = re.compile(r"\bSOs?\b")


def terms_of(text: str) -> list[str]:
    """The stemmed content terms of a text."""
    text = SCIENTIFIC_OFFICER.sub(" scientific officer ", text.replace("%", " percent "))
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
            # The word's own stem too ("variation" is the passages' "vari" of "variations"), and a shorter
            # term it begins with ("nominat" is the passages' "nomin" of "nominations").
            own = [stem(other)] if stem(other) in self.df else []
            own += [other[:n] for n in range(len(other) - 1, 4, -1) if other[:n] in self.df][:1]
            found += [
                k
                for k in [*own, *self._by_start.get(other[:5], ())]
                if k in own or k.startswith(other) or other.startswith(k)
            ]
        return tuple(dict.fromkeys(found))

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


@lru_cache(maxsize=1)
def names_of_publishers() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Each phrase a question names a document by, with the institution that published it ("qmul":
    Queen Mary University of London); from the head of documents.yaml alone, as the names above."""
    import yaml

    text = resources.files("framework_data").joinpath("documents.yaml").read_text(encoding="utf-8")
    head = yaml.safe_load(text.split("\npassages:", 1)[0])
    return tuple(
        (tuple(normalise(phrase)), d["publisher"])
        for d in head["documents"]
        for phrase in d.get("asked_as", [])
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
