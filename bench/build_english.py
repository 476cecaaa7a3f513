"""Builds bot/engine/wordlists/english.bin from pyspellchecker's English word list.

The bot reads the compact table (sorted 64-bit hashes, see bot/engine/dictionary.py), not the
package: hashing its 127,000 words took the better part of a second at every start. Run with
the bench extras installed: `.venv/bin/python -m bench.build_english`; a test checks that the
shipped table is the one this builds from the installed list.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine.dictionary import english_words, pack

OUT = Path(__file__).resolve().parents[1] / "bot" / "engine" / "wordlists" / "english.bin"


if __name__ == "__main__":
    data = pack(english_words())
    OUT.write_bytes(data)
    print(f"{(len(data) - 8) // 8} words -> {OUT}")
