"""Which language to answer a user in: their /lang choice, else Telegram's language_code.

The choice lives in aiogram's FSM storage, scoped to the user (FSMStrategy.GLOBAL_USER), so it
holds in private chats, groups and inline mode alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.fsm.context import FSMContext

from bot.engine import LANGS, Lang, lang_from_code

LANG_KEY = "lang"


@dataclass(frozen=True, slots=True)
class LanguagePrefs:
    """What decides a user's language in one update: their /lang choice, Telegram's
    language_code, the operator's default."""

    explicit: Lang | None  # /lang choice: overrides the question's script
    code: str | None  # Telegram's language_code
    default: Lang  # settings.default_lang

    @property
    def ui(self) -> Lang:
        """For replies with no question to read the script from (commands, errors)."""
        return self.explicit or lang_from_code(self.code) or self.default

    @property
    def code_or_default(self) -> str:
        """What the engine gets as `user_lang`, for text whose script does not decide."""
        return self.code or self.default


async def stored_lang(state: FSMContext | None) -> Lang | None:
    if state is None:
        return None
    value = (await state.get_data()).get(LANG_KEY)
    return value if value in LANGS else None


async def store_lang(state: FSMContext, lang: Lang) -> None:
    await state.update_data({LANG_KEY: lang})


def parse_lang(arg: str | None) -> Lang | None:
    """`/lang en`, `/lang EN`, `/lang ru`; anything else is None."""
    value = (arg or "").strip().lower()
    return value if value in LANGS else None  # type: ignore[return-value]
