"""How common a word is in the language at large: wordfreq's zipf scale (0 = unseen, 7 = "the").

A word the knowledge base lacks is most often chatter ("someone", "понял") when it is common,
and what the question is really about ("Сколково", "аренда") when it is rare; the matcher
weighs unknown words by it. The table (bot/engine/wordlists/zipf.bin, built by
bench/build_zipf.py from wordfreq's `small` lists, CC BY-SA 4.0) holds the words' 64-bit
hashes, sorted, then a byte per word (ten times its zipf): under 1 MB and read in a few
milliseconds, where a dict of its 88,000 words takes 13 MB and half a second to build.
"""

from __future__ import annotations

import bisect
import struct
from array import array
from functools import cache
from importlib import resources

from bot.engine.dictionary import _hash, little_endian  # as the English word list's table


def pack(rows: dict[str, int]) -> bytes:
    """The table's bytes: count, hashes (uint64, little-endian, sorted), zipf x 10 per word."""
    by_hash: dict[int, int] = {}
    for word, zipf in rows.items():
        h = _hash(word)
        by_hash[h] = max(by_hash.get(h, 0), zipf)
    keys = sorted(by_hash)
    hashes = array("Q", keys)
    if hashes.itemsize != 8:
        raise RuntimeError("array('Q') is not 64-bit here")
    return (
        struct.pack("<Q", len(keys))
        + little_endian(hashes).tobytes()
        + bytes(by_hash[k] for k in keys)
    )


class WordFrequency:
    def __init__(self, data: bytes) -> None:
        (n,) = struct.unpack_from("<Q", data)
        self._hashes = little_endian(array("Q", data[8 : 8 + 8 * n]))
        self._zipf = data[8 + 8 * n :]
        self._seen: dict[str, float] = {}

    def zipf(self, word: str) -> float:
        hit = self._seen.get(word)
        if hit is None:
            if len(self._seen) >= SEEN_MAX:
                self._seen.clear()  # a bounded memo: messages bring words without end
            hit = self._seen[word] = self._lookup(word)
        return hit

    def _lookup(self, word: str) -> float:
        h = _hash(word)
        i = bisect.bisect_left(self._hashes, h)
        if i < len(self._hashes) and self._hashes[i] == h:
            return self._zipf[i] / 10
        return 0.0


SEEN_MAX = 50_000  # words memoized before the memo starts over (a few MB at most)


@cache
def word_frequency() -> WordFrequency:
    return WordFrequency((resources.files("bot.engine") / "wordlists" / "zipf.bin").read_bytes())
