"""The word-frequency table: common words are common, unseen words are 0, the table round-trips."""

from __future__ import annotations

from bot.engine.frequency import WordFrequency, pack, word_frequency


def test_shipped_table_tells_chatter_from_topic_words() -> None:
    f = word_frequency()
    assert f.zipf("someone") > 5 and f.zipf("понял") > 4.5  # chatter: common
    assert 0 < f.zipf("сколково") < 4 and f.zipf("skolkovo") == 0.0  # a name: rare or unseen
    assert f.zipf("qwzxv") == 0.0


def test_pack_round_trips() -> None:
    table = WordFrequency(pack({"alpha": 45, "бета": 31, "gamma": 70}))
    assert (table.zipf("alpha"), table.zipf("бета"), table.zipf("gamma")) == (4.5, 3.1, 7.0)
    assert table.zipf("delta") == 0.0
