"""General English vocabulary, to tell a typo from a real word.

"teach" is one letter from "tech" but it is a word of its own: correcting it would turn a
question the article cannot answer ("what does MIET teach") into one it can. The words are
pyspellchecker's English frequency list (MIT), shipped as bot/engine/wordlists/english.bin,
built by bench/build_english.py: the sorted 64-bit hashes of its words, about 1 MB, read in a
millisecond. Hashing the list's 127,000 words at every start took the better part of a second
(half the start-up), and a set of the strings would take 25 MB: memory is the bot's scarcest
resource on a small host.
"""

from __future__ import annotations

import bisect
import gzip
import hashlib
import json
import re
import struct
import sys
from array import array
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources

_KEY = re.compile(r'"((?:[^"\\]|\\.)*)"\s*:')  # a JSON object key; the values are counts


def _hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def english_words() -> Iterator[str]:
    """pyspellchecker's list ({"word": count, ...}), a word at a time (its text is 3 MB, and
    json.load would build a 25 MB dictionary only to drop it). For the build, not the bot."""
    data = (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    for match in _KEY.finditer(gzip.decompress(data).decode()):
        key = match.group(1)
        yield json.loads(f'"{key}"') if "\\" in key else key


def pack(words: Iterable[str]) -> bytes:
    """The table's bytes: count, then the hashes (uint64, little-endian, sorted) of the words
    the corrector would touch: four letters or more (shorter ones are never corrected)."""
    hashes = array("Q", sorted({_hash(w) for w in words if len(w) >= 4 and w.isalpha()}))
    if hashes.itemsize != 8:
        raise RuntimeError("array('Q') is not 64-bit here")
    return struct.pack("<Q", len(hashes)) + little_endian(hashes).tobytes()


def little_endian(values: array[int]) -> array[int]:
    """The tables are little-endian on disk; a big-endian machine swaps on the way in and out."""
    if sys.byteorder == "big":
        values = array("Q", values)
        values.byteswap()
    return values


def table_bytes() -> bytes:
    return (resources.files("bot.engine") / "wordlists" / "english.bin").read_bytes()


@cache
def _english() -> array[int]:
    data = table_bytes()
    (n,) = struct.unpack_from("<Q", data)
    return little_endian(array("Q", data[8 : 8 + 8 * n]))


def is_english_word(word: str) -> bool:
    table = _english()
    h = _hash(word)
    i = bisect.bisect_left(table, h)
    return i < len(table) and table[i] == h


def preload() -> None:
    """Load the list now rather than on the first question that needs it."""
    _english()
