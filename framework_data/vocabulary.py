"""The words and phrases the bot understands, built from the frameworks themselves, with typo correction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from framework_data.catalogue import Catalogue, role_ref
from framework_data.english_words import common_words
from framework_data.question_words import ABBREVIATIONS, INTENT_PHRASES, NEVER_CORRECT, NUMBER_WORDS
from framework_data.schema import Framework

__all__ = [
    "INTENT_PHRASES",
    "NEVER_CORRECT",
    "NUMBER_WORDS",
    "Entity",
    "Vocabulary",
    "build_vocabulary",
    "normalise",
]

_NON_WORD = re.compile(r"[^a-z0-9]+")
_CONTRACTION = re.compile(r"\b([a-z]+)'(nt|t|ve|m|re)\b")
# "g7", "band4", "grade7s" ("do g5s supervise students": grade 5s).
_SPLIT_PREFIX = re.compile(r"^(grade|grd|band|level|lvl|g|b)(\d+[ab]?)s?$")


def normalise(text: str) -> list[str]:
    """Lower-case words and numbers, with "&" read as "and" and glued prefixes ("g7", "band4") split."""
    text = text.lower().replace("&", " and ").replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    # "don't", "i've", "they're" are read as typed without the apostrophe ("dont", "ive", "theyre").
    text = _CONTRACTION.sub(r"\1\2", text)
    tokens: list[str] = []
    for token in _NON_WORD.split(text):
        if not token:
            continue
        glued = _SPLIT_PREFIX.match(token)
        if glued and not (glued.group(1) == "b" and not glued.group(2).isdigit()):
            prefix = {"g": "grade", "grd": "grade", "b": "band", "lvl": "level"}.get(
                glued.group(1), glued.group(1)
            )
            tokens.extend((prefix, glued.group(2)))
        else:
            tokens.append(token)
    return tokens


@dataclass(frozen=True)
class Entity:
    """Something a phrase can name: a role, a row (competency), a path, a framework or an intent."""

    kind: str
    key: str
    framework: str = ""


@dataclass
class Vocabulary:
    """Phrase index (token tuples → entities) plus the word list used for typo correction."""

    phrases: dict[tuple[str, ...], list[Entity]] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)
    # Words the framework's own text uses ("pros", "codes", "specified"): spelled right, so never turned
    # into a nearby vocabulary word ("prof", "comes", "specific"), except a plural of one ("managers").
    written: set[str] = field(default_factory=set)
    # Long words of the phrases for passages and outside topics ("retirement", "newsletter"): a token one
    # slip from one of them, and near no framework word, is read as it ("retirment").
    asked: set[str] = field(default_factory=set)
    # Short capitalised words of the cells ("HR", "PI", "UG"): a question keeps them as terms.
    acronyms: set[str] = field(default_factory=set)
    max_phrase: int = 1
    _corrections: dict[str, str] = field(default_factory=dict)
    _word_list: list[str] = field(default_factory=list)
    _asked_list: list[str] = field(default_factory=list)

    def add(self, phrase: str, entity: Entity) -> None:
        tokens = tuple(normalise(phrase))
        if not tokens:
            return
        entities = self.phrases.setdefault(tokens, [])
        if entity not in entities:
            entities.append(entity)
        self.words.update(t for t in tokens if not t.isdigit())
        self.max_phrase = max(self.max_phrase, len(tokens))

    def freeze(self) -> None:
        self._word_list = sorted(self.words)
        self._asked_list = sorted(self.asked - self.words)
        # Corrections made while the words were still being gathered may be wrong now.
        self._corrections.clear()

    def add_as_read(self, phrase: str, entity: Entity) -> None:
        """Index a phrase as the parser will read it, typo correction included, without making its words
        targets of correction: "managers use" must not stop "managers" being read as "manager"."""
        tokens = tuple(self.correct(t) for t in normalise(phrase))
        if not tokens:
            return
        entities = self.phrases.setdefault(tokens, [])
        if entity not in entities:
            entities.append(entity)
        self.max_phrase = max(self.max_phrase, len(tokens))

    def correct(self, token: str) -> str:
        """The known word a token was probably meant to be, or the token itself."""
        if token in self.words or token.isdigit():
            return token
        written = token in self.written and not (token.endswith("s") and token[:-1] in self.words)
        if token in ABBREVIATIONS:
            return ABBREVIATIONS[token]
        if len(token) < 4 or token in NEVER_CORRECT or not token.isalpha():
            return token
        cached = self._corrections.get(token)
        if cached is not None:
            return cached
        # Two edits only for long words: "battery" is two edits from "better", "specalist" one from a word.
        limit = 1 if len(token) < 8 else 2
        candidates = [w for w in self._word_list if w[0] == token[0] and abs(len(w) - len(token)) <= limit]
        matches = process.extract(token, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None)
        # Of the nearest words, one the token is missing letters of ("technican": "technician", not
        # "technical"): a dropped letter is the commonest slip in quick typing.
        nearest = min((m[1] for m in matches), default=None)
        ties = sorted(m[0] for m in matches if m[1] == nearest)
        result = next((w for w in ties if _missing_letters_of(token, w)), ties[0] if ties else token)
        if written and (root(result) != root(token) or token.endswith("ed") != result.endswith("ed")):
            # A real word, not another's typo: read only as another form of itself ("supervisor":
            # "supervise"), and a past participle stays one ("mastered" is not "masters").
            result = token
        if token.endswith("ed") and not result.endswith("ed") and result not in (token[:-1], token[:-2]):
            result = token  # a past participle is not another word's typo ("mastered" is not "masters")
        if result == token and not written and len(token) >= 6:
            result = self._asked_word(token)
        if len(self._corrections) < 50_000:  # bounded: user text is unbounded
            self._corrections[token] = result
        return result

    def _asked_word(self, token: str) -> str:
        """The one word of the passages' and outside topics' phrases a token is a single slip from."""
        candidates = [w for w in self._asked_list if w[0] == token[0] and abs(len(w) - len(token)) <= 1]
        matches = process.extract(token, candidates, scorer=OSA.distance, score_cutoff=1, limit=None)
        nearest = [m[0] for m in matches]
        return nearest[0] if len(nearest) == 1 else token


_ENDINGS = (
    "ations",
    "ation",
    "ings",
    "ing",
    "ions",
    "ion",
    "ors",
    "ers",
    "ies",
    "es",
    "ed",
    "or",
    "er",
    "s",
    "e",
)


def root(word: str) -> str:
    """A word without its ending ("supervisor", "supervise": "supervis"; "specified": "specifi", not
    "specific"), for telling a word's own forms from another word."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            stem = word[: -len(ending)]
            # "planning", "planned": "plan", the consonant doubled before the ending undone (not "ss").
            doubled = ending in ("ing", "ed") and stem[-1] == stem[-2] and stem[-1] not in "aeiousy"
            return stem[:-1] if doubled and len(stem) >= 5 else stem
    return word


def _missing_letters_of(token: str, word: str) -> bool:
    """Whether ``token`` is ``word`` with letters left out."""
    letters = iter(word)
    return len(token) < len(word) and all(c in letters for c in token)


# Words that name every role of the framework at once: never one role ("technician posts", "a technician
# conference").
_EVERYONE = frozenset({"technician", "technicians"})


def build_vocabulary(catalogue: Catalogue) -> Vocabulary:
    """Index every title, alias, row name, synonym and path of every framework, plus the intent words."""
    vocab = Vocabulary()
    for loaded in catalogue.frameworks:
        fw = loaded.framework
        vocab.add(fw.id, Entity("framework", fw.id))
        vocab.add(f"{fw.id}s", Entity("framework", fw.id))  # "imperials career structure", apostrophe dropped
        vocab.add(fw.institution, Entity("framework", fw.id))
        for role in fw.roles:
            for phrase in (*role.aliases, role.title.replace("(Descriptor)", "")):
                if phrase.strip().lower() in _EVERYONE:
                    continue  # "technician" alone is everyone the framework is for, not grade 5
                vocab.add(phrase, Entity("role", role_ref(loaded, role), fw.id))
        for row in fw.rows:
            for phrase in (row.name, row.label, *row.synonyms):
                vocab.add(phrase, Entity("row", row.id, fw.id))
        for grid_row in fw.grid:
            # Grid names ("Planning & Organising") cover one or two rows.
            for row_id in grid_row.rows:
                vocab.add(grid_row.name, Entity("row", row_id, fw.id))
        for path in fw.paths:
            for phrase in (path.name, *path.synonyms):
                vocab.add(phrase, Entity("path", path.id, fw.id))
    for phrase, intent in INTENT_PHRASES.items():
        vocab.add(phrase, Entity("intent", intent))
    vocab.words.update(("grade", "grades", "level", "levels", "from", "to", "and"))
    vocab.written = _written_words(catalogue) | _documents_words() | common_words()
    vocab.acronyms = _acronyms(catalogue)
    vocab.freeze()
    for loaded in catalogue.frameworks:
        _add_asks(vocab, loaded.framework)
    vocab.freeze()  # the phrases' own long words are correction targets of their own
    return vocab


def _written_words(catalogue: Catalogue) -> set[str]:
    """Every word of the frameworks' cells, passages and development opportunities."""
    texts: list[str] = []
    for loaded in catalogue.frameworks:
        fw = loaded.framework
        texts += [cell.text for role in fw.roles for cell in role.cells.values()]
        texts += [p.text for p in fw.passages] + [b for p in fw.passages for b in p.bullets]
        texts += [o for g in fw.grid for o in g.opportunities]
    return {t for text in texts for t in normalise(text) if t.isalpha() and len(t) >= 4}


def _documents_words() -> set[str]:
    """Every word of the source documents' passages: real words, never another word's typo ("directory"
    is not "director"). Read from the file, so that answering never loads the documents' index."""
    from importlib import resources

    text = resources.files("framework_data").joinpath("documents.yaml").read_text(encoding="utf-8")
    return {t for t in normalise(text) if t.isalpha() and len(t) >= 4}


def _acronyms(catalogue: Catalogue) -> set[str]:
    """The two- and three-letter capitalised words of the frameworks' cells, lower-cased."""
    cells = [
        cell.text for f in catalogue.frameworks for role in f.framework.roles for cell in role.cells.values()
    ]
    return {word.lower() for text in cells for word in re.findall(r"\b[A-Z]{2,3}\b", text)}


def _read_variants(vocab: Vocabulary, phrase: str) -> list[str]:
    """The variants of a phrase whose new words are read as themselves: "bullyings" would be corrected to
    "buildings", which is not a way of asking about bullying."""
    written = set(normalise(phrase))
    return [
        variant
        for variant in _variants(phrase)
        if all(t in written or root(vocab.correct(t)) == root(t) for t in normalise(variant))
    ]


def _variants(phrase: str) -> list[str]:
    """How else a passage's phrase is typed: "purpose of this framework" and "purpose of framework" for
    "purpose of the framework"; "regrading windows" for "regrading window", and the other way round."""
    words = phrase.split()
    found = [phrase]
    if "the" in words[1:]:
        found += [
            " ".join("this" if w == "the" else w for w in words),
            " ".join(w for w in words if w != "the"),
        ]
    if len(words) >= 2 and not {"the", "a", "an", "this", "my"} & set(words):
        found.append(" ".join([*words[:-1], "the", words[-1]]))  # "move between the paths"
    last = words[-1]
    if len(last) > 3 and last.isalpha():
        other = last[:-1] if last.endswith("s") and not last.endswith("ss") else f"{last}s"
        found += [" ".join([*variant.split()[:-1], other]) for variant in list(found)]
    return found


def _add_asks(vocab: Vocabulary, fw: Framework) -> None:
    """Phrases that name a passage, a topic outside the framework, or an advertised job. Their words are
    spelled as meant: never read as a nearby framework word ("leak" is not "lead")."""
    everyday = list(fw.everyday_words)
    answered = [phrase for p in fw.passages for a in p.answers for phrase in a.asked_as]
    asked_phrases = (*(p.asked_as for p in fw.passages), *(t.asked_as for t in fw.outside_topics), answered)
    for phrases in (*asked_phrases, everyday):
        vocab.written.update(
            w for phrase in phrases for w in normalise(phrase) if w.isalpha() and len(w) >= 4
        )
        vocab.asked.update(w for phrase in phrases for w in normalise(phrase) if w.isalpha() and len(w) >= 6)
    for passage in fw.passages:
        for phrase in passage.asked_as:
            for variant in _read_variants(vocab, phrase):
                vocab.add_as_read(variant, Entity("passage", passage.id, fw.id))
        for phrase in passage.asked_alone_as:
            vocab.add_as_read(phrase, Entity("passage-alone", passage.id, fw.id))
        for name in passage.names:
            vocab.add_as_read(name, Entity("passage", passage.id, fw.id))
            vocab.add_as_read(name, Entity("passage-name", passage.id, fw.id))
        for index, answer in enumerate(passage.answers):
            # Its words ask for the passage and for this yes or no of it.
            for phrase in answer.asked_as:
                vocab.add_as_read(phrase, Entity("passage", passage.id, fw.id))
                vocab.add_as_read(phrase, Entity("passage-answer", f"{passage.id}:{index}", fw.id))
    for topic in fw.outside_topics:
        for phrase in topic.asked_as:
            for variant in _read_variants(vocab, phrase):
                vocab.add_as_read(variant, Entity("outside", topic.id, fw.id))
    for grid_row in fw.grid:
        # An opportunity named in full is one thing, whatever its words could each be read as
        # ("OD Management E-Learning Resources" is not the Manager path).
        for name in grid_row.opportunities:
            if len(normalise(name)) >= 2:
                vocab.add_as_read(name, Entity("opportunity", name, fw.id))
    for index, job in enumerate(fw.example_jobs):
        for phrase in (job.title, *job.aliases):
            for variant in _short_forms(phrase):
                vocab.add_as_read(variant, Entity("job", str(index), fw.id))


# How a job title's words are shortened in chat ("research tech", "battery lab manager").
_SHORT_FORMS = {"technician": "tech", "laboratory": "lab", "manager": "mgr", "department": "dept"}


def _short_forms(phrase: str) -> list[str]:
    """A title as written, and with its long words in their chat short forms."""
    words = phrase.lower().split()
    short = " ".join(_SHORT_FORMS.get(w, w) for w in words)
    return [phrase] if short == phrase.lower() else [phrase, short]
