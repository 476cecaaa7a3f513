"""A writable copy of the shipped knowledge base, and the edits the reload tests make to it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.engine.knowledge import default_knowledge_dir

QUESTION = "Каков объём экспорта резидентов в 2020 году?"
EXPORT = "intents/export.yaml"
OLD_ANSWER = (
    "В 2020 году резиденты технополиса «Москва» экспортировали продукцию на 1,2 млрд рублей."
)
NEW_ANSWER = (
    "Резиденты технополиса «Москва» за 2020 год экспортировали продукцию на 1,2 млрд рублей."
)
QUOTE = "по итогам прошлого года экспортировали свою продукцию"
# Not in the article, and HTML-like: the problem quoting it must reach Telegram escaped.
BROKEN_QUOTE = "по итогам <b>прошлого</b> года продали свою продукцию"


def copy_knowledge(dest: Path) -> Path:
    return Path(shutil.copytree(default_knowledge_dir(), dest))


def edit(kb: Path, old: str, new: str, file: str = EXPORT) -> None:
    path = kb / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def new_answer(kb: Path) -> None:
    edit(kb, OLD_ANSWER, NEW_ANSWER)


def break_quote(kb: Path) -> None:
    edit(kb, QUOTE, BROKEN_QUOTE)


def fix_quote(kb: Path) -> None:
    edit(kb, BROKEN_QUOTE, QUOTE)
