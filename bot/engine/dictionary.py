"""General English vocabulary, to tell a typo from a real word.

"teach" is one letter from "tech" but it is a word of its own: correcting it would turn a
question the article cannot answer ("what does MIET teach") into one it can. The word list is
pyspellchecker's English frequency list, read straight from the package and kept as a sorted
array of 64-bit hashes (about 1 MB) instead of a set of strings (about 25 MB): memory is the
bot's scarcest resource on a small host. For the same reason its words are scanned out of
the text one at a time: json.load would build the 25 MB dictionary only to drop it, and that
was the bot's peak.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import re
from array import array
from collections.abc import Iterator
from functools import cache
from importlib import resources

_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')  # a JSON object key; the values are counts


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def english_words() -> Iterator[str]:
    """The words of the list ({"word": count, ...}), one at a time (its text is 3 MB)."""
    data = (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    for match in _KEY.finditer(gzip.decompress(data).decode()):
        key = match.group(1)
        yield json.loads(f'"{key}"') if "\\" in key else key


@cache
def _english() -> array[int]:
    # Only words the corrector would touch: four letters or more (shorter ones are never corrected).
    return array("Q", sorted(_hash(w) for w in english_words() if len(w) >= 4 and w.isalpha()))


def is_english_word(word: str) -> bool:
    table = _english()
    h = _hash(word)
    i = bisect.bisect_left(table, h)
    return i < len(table) and table[i] == h


def preload() -> None:
    """Load the list now rather than on the first question that needs it."""
    _english()
