"""The interface strings catalogue (knowledge/ui.yaml): every line the bot says that is not an
answer, by language and key, so wording is edited in knowledge/, never in code.

Apart from AnswerEngine because the Telegram layer needs the catalogue far more often than
the engine: handlers take it without reaching into the engine.
"""

from __future__ import annotations

from bot.engine.models import UiStrings
from bot.engine.types import Lang


class Texts:
    """`texts("ru", "reload_ok", intents=12)`: the string, with its placeholders filled in.

    Every key a front end uses was checked when the knowledge base loaded
    (`required_ui_keys`), so a lookup never fails at reply time.
    """

    def __init__(self, ui: UiStrings) -> None:
        self._by_lang = {"ru": ui.ru, "en": ui.en}

    def __call__(self, lang: Lang, key: str, **values: object) -> str:
        text = self._by_lang[lang][key]
        return text.format(**values) if values else text
