"""General English vocabulary (pyspellchecker's word list), to tell a typo from a real word.

"teach" is one letter from "tech" but it is a word of its own: correcting it would turn a
question the article cannot answer ("what does MIET teach") into one it can.
"""

from __future__ import annotations

from functools import cache


@cache
def _english() -> frozenset[str]:
    from spellchecker import SpellChecker

    return frozenset(SpellChecker(language="en", distance=1).word_frequency.keys())


def is_english_word(word: str) -> bool:
    return word in _english()
