"""General English vocabulary, to tell a typo from a real word.

"teach" is one letter from "tech" but it is a word of its own: correcting it would turn a
question the article cannot answer ("what does MIET teach") into one it can. The word list is
pyspellchecker's English frequency list, read straight from the package and kept as a sorted
array of 64-bit hashes (about 1 MB) instead of a set of strings (about 25 MB): memory is the
bot's scarcest resource on a small host.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
from array import array
from functools import cache
from importlib import resources


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


@cache
def _english() -> array[int]:
    data = (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    words = json.loads(gzip.decompress(data))
    # Only words the corrector would touch: four letters or more (shorter ones are never corrected).
    hashes = sorted(_hash(w) for w in words if len(w) >= 4 and w.isalpha())
    del words
    return array("Q", hashes)


def is_english_word(word: str) -> bool:
    table = _english()
    h = _hash(word)
    i = bisect.bisect_left(table, h)
    return i < len(table) and table[i] == h


def preload() -> None:
    """Load the list now rather than on the first question that needs it."""
    _english()
