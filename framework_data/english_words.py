"""Words of everyday English, so that a word typed correctly is never "corrected" into a framework or
document word one letter away ("wedding" is not "welding", "death in service" not "depth", "seven" not
"seen"). Read from pyspellchecker's English frequency list, keeping the words common enough that they
are seldom anyone's typo: "manger" and "wat" are rarer, so they are still read as "manager" and "what"."""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources

# A word seen 3,000 times or more in the list's corpus, as the list writes it ('"wedding": 126861'); below
# that, misspellings that are also rare words begin to appear. Matched in the raw text, since decoding all
# 160,000 entries as JSON takes over twice as long.
_COMMON_ENTRY = re.compile(rb'"([a-z]+)": (?:[3-9][0-9]{3}|[0-9]{5,})\b')


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The common English words, lower-case."""
    data = resources.files("spellchecker").joinpath("resources", "en.json.gz").read_bytes()
    return frozenset(word.decode() for word in _COMMON_ENTRY.findall(gzip.decompress(data)))
