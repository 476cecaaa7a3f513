"""The English word list that keeps real words from being "corrected" into the article's."""

from __future__ import annotations

import gzip
import json
from importlib import resources

from bot.engine.dictionary import english_words, is_english_word, pack, table_bytes


def test_the_stream_reads_exactly_the_lists_words_in_order() -> None:
    data = (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    assert list(english_words()) == list(json.loads(gzip.decompress(data)))


def test_the_shipped_table_is_built_from_the_installed_list() -> None:
    # stale after pyspellchecker changes its list: rebuild with `python -m bench.build_english`
    assert table_bytes() == pack(english_words())


def test_real_words_are_known_and_typos_are_not() -> None:
    assert is_english_word("teach")
    assert is_english_word("export")
    assert not is_english_word("exprot")
    assert not is_english_word("технополис")
