"""Builds bot/engine/wordlists/zipf.bin from the wordfreq package's `small` Russian and English lists.

The bot reads the compact table, not wordfreq itself: the package's import and lists cost
about 30 MB of RSS, the table under 1 MB (see bot/engine/frequency.py for its layout). Run
with the bench extras installed:
`.venv/bin/python -m bench.build_zipf`. The data is wordfreq's (CC BY-SA 4.0, see
bot/engine/wordlists/README.md); only words at or above MIN_ZIPF are kept, since a rarer word
weighs as much as an unseen one.
"""

from __future__ import annotations

from pathlib import Path

import wordfreq

from bot.engine.frequency import pack

MIN_ZIPF = 3.0
OUT = Path(__file__).resolve().parents[1] / "bot" / "engine" / "wordlists"


def build() -> dict[str, int]:
    rows: dict[str, int] = {}
    for lang in ("ru", "en"):
        for word in wordfreq.get_frequency_dict(lang, wordlist="small"):
            zipf = round(10 * wordfreq.zipf_frequency(word, lang, wordlist="small"))
            if word.isalpha() and zipf >= 10 * MIN_ZIPF:
                rows[word] = max(rows.get(word, 0), zipf)
    return rows


if __name__ == "__main__":
    rows = build()
    (OUT / "zipf.bin").write_bytes(pack(rows))
    print(f"{len(rows)} words -> {OUT / 'zipf.bin'}")
