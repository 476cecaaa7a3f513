"""Answer -> Telegram HTML and inline keyboards. Pure functions: no I/O, no aiogram calls.

Everything that is not our own markup is escaped, so neither user text nor article text can
break the message; the visible text is cut to Telegram's 4096 UTF-16 units before escaping,
because the limit applies after entity parsing.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.engine import Answer, AnswerEngine, AnswerKind, Lang, Source, Suggestion

log = logging.getLogger(__name__)

MAX_TEXT = 4096  # UTF-16 code units of visible text, Telegram's message limit
ELLIPSIS = "…"
BLOCK_SEPARATOR = "\n\n"


class AskCallback(CallbackData, prefix="a"):
    """A suggestion button: `a:<intent_id>:<lang>` (intent ids are ≤40 ASCII, so ≤64 bytes)."""

    intent: str
    lang: str


class NoneCallback(CallbackData, prefix="n"):
    """The "none of these" button: `n:<key>:<lang>`, key being the misses log's id of the
    question (12 characters), since the question itself would not fit in 64 bytes."""

    key: str
    lang: str


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph of visible text; `quote` blocks become a <blockquote>."""

    text: str
    quote: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """A message ready to send: HTML text and an optional inline keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, budget: int) -> str:
    """The longest prefix of `text` within `budget` UTF-16 units, ending with an ellipsis."""
    if utf16_len(text) <= budget:
        return text
    out: list[str] = []
    used = utf16_len(ELLIPSIS)
    for char in text:
        size = utf16_len(char)
        if used + size > budget:
            break
        out.append(char)
        used += size
    return "".join(out).rstrip() + ELLIPSIS


def fit(blocks: Sequence[Block], limit: int = MAX_TEXT) -> list[Block]:
    """Keep blocks in order until the visible text would pass `limit`; cut the last one."""
    kept: list[Block] = []
    used = 0
    for block in blocks:
        sep = utf16_len(BLOCK_SEPARATOR) if kept else 0
        room = limit - used - sep
        if room <= utf16_len(ELLIPSIS):
            break
        text = _cut(block.text, room)
        kept.append(Block(text, block.quote))
        used += sep + utf16_len(text)
        if text is not block.text:
            break
    return kept


def to_html(blocks: Iterable[Block], limit: int = MAX_TEXT) -> str:
    """Escape every block's text and wrap quotes; the only tags in the result are ours."""
    parts = []
    for block in fit(list(blocks), limit):
        escaped = html.escape(block.text, quote=False)
        parts.append(f"<blockquote>{escaped}</blockquote>" if block.quote else escaped)
    return BLOCK_SEPARATOR.join(parts)


def text_reply(text: str) -> Reply:
    """A plain interface line (from ui.yaml), escaped."""
    return Reply(to_html([Block(text)]))


def source_block(engine: AnswerEngine, lang: Lang, source: Source) -> Block:
    who = source.speaker or engine.texts(lang, "article_words")
    return Block(f"{source.quote}\n— {who}", quote=True)


def answer_blocks(engine: AnswerEngine, answer: Answer) -> list[Block]:
    """The answer, then each source as a quote with its speaker."""
    return [Block(answer.text), *(source_block(engine, answer.lang, s) for s in answer.sources)]


def keyboard(suggestions: Iterable[Suggestion], lang: Lang) -> InlineKeyboardMarkup | None:
    """One button per suggestion; a button whose data would not fit in 64 bytes is left out."""
    rows: list[list[InlineKeyboardButton]] = []
    for s in suggestions:
        try:
            data = AskCallback(intent=s.intent, lang=lang).pack()
        except ValueError:
            log.warning("suggestion %s left out: callback data too long", s.intent)
            continue
        rows.append([InlineKeyboardButton(text=s.question, callback_data=data)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def none_button(engine: AnswerEngine, lang: Lang, key: str) -> InlineKeyboardButton:
    data = NoneCallback(key=key, lang=lang).pack()
    return InlineKeyboardButton(text=engine.texts(lang, "none_of_these"), callback_data=data)


def with_none_button(
    engine: AnswerEngine, markup: InlineKeyboardMarkup | None, lang: Lang, key: str
) -> InlineKeyboardMarkup | None:
    """Suggestions plus a last "none of these" row (only where there are suggestions)."""
    if markup is None:
        return None
    rows = [*markup.inline_keyboard, [none_button(engine, lang, key)]]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def render_answer(
    engine: AnswerEngine, answer: Answer, *, group: bool = False, miss_key: str | None = None
) -> Reply:
    """The full reply to a question in a chat.

    Private chats get suggestion buttons ("did you mean", out-of-scope alternatives, featured
    questions after small talk); groups stay quiet: out of scope is one short line, and only
    "did you mean" buttons are kept. `miss_key` (the misses log recorded the question) adds
    "none of these" under out-of-scope alternatives and "did you mean" in private chats.
    """
    lang = answer.lang
    if answer.kind is AnswerKind.OUT_OF_SCOPE and group:
        return text_reply(engine.texts(lang, "out_of_scope_short"))
    blocks = answer_blocks(engine, answer)
    suggestions: Sequence[Suggestion] = answer.suggestions
    if answer.kind is AnswerKind.FACT and suggestions:
        blocks.append(Block(engine.texts(lang, "did_you_mean")))
    elif group:
        suggestions = ()
    markup = keyboard(suggestions, lang)
    if miss_key and not group and answer.kind in (AnswerKind.FACT, AnswerKind.OUT_OF_SCOPE):
        markup = with_none_button(engine, markup, lang, miss_key)
    return Reply(to_html(blocks), markup)


def render_inline(engine: AnswerEngine, answer: Answer) -> str:
    """The message an inline result sends: the answer and its quotes, no buttons."""
    if answer.kind is AnswerKind.OUT_OF_SCOPE:
        return to_html([Block(engine.texts(answer.lang, "out_of_scope_short"))])
    return to_html(answer_blocks(engine, answer))


def render_start(engine: AnswerEngine, lang: Lang) -> Reply:
    """Greeting, what the bot knows, three example questions as buttons."""
    article = engine.kb.article
    title = article.title if lang == "ru" else article.title_en
    text = engine.texts(lang, "start", title=title)
    return Reply(to_html([Block(text)]), keyboard(engine.featured(lang)[:3], lang))


def render_topics(engine: AnswerEngine, lang: Lang) -> Reply:
    return Reply(to_html([Block(engine.texts(lang, "topics"))]), keyboard(engine.topics(lang), lang))


def render_source(engine: AnswerEngine, lang: Lang) -> Reply:
    """The article card: title, rubric, author, who is quoted."""
    article = engine.kb.article
    people = engine.texts(lang, "people_separator").join(
        engine.texts(lang, "quote_by", name=getattr(p.name, lang), role=getattr(p.role, lang))
        for p in article.people.values()
    )
    text = engine.texts(
        lang,
        "source",
        title=article.title if lang == "ru" else article.title_en,
        rubric=article.rubric,
        author=getattr(article.author, lang),
        people=people,
    )
    return text_reply(text)


class WatchOffCallback(CallbackData, prefix="fc"):
    """The admins' "switch watch mode off" button under a correction."""

    action: str = "off"


def render_check(engine: AnswerEngine, answers: Sequence[Answer], lang: Lang) -> Reply:
    """/check: each claim's verdict with its quote, or one line saying there is nothing to check."""
    if not answers:
        return text_reply(engine.texts(lang, "check_nothing"))
    blocks: list[Block] = []
    for answer in answers:
        blocks += answer_blocks(engine, answer)
    return Reply(to_html(blocks))


def render_correction(engine: AnswerEngine, answer: Answer, bot_username: str | None) -> Reply:
    """Watch mode: one short line ("По статье — в три раза, а не «вдвое»."), the quote, and
    buttons for the full answer in a private chat (a deep link) and for admins to switch off."""
    lang = answer.lang
    claim = answer.claim
    article = claim.article if claim else ""
    stated = ", ".join(claim.stated) if claim else ""
    line = engine.texts(lang, "watch_correction", article=article, stated=stated)
    blocks = [Block(line), *(source_block(engine, lang, s) for s in answer.sources[:1])]
    rows: list[list[InlineKeyboardButton]] = []
    if bot_username and answer.intent:
        url = f"https://t.me/{bot_username}?start={answer.intent}"
        rows.append([InlineKeyboardButton(text=engine.texts(lang, "watch_more"), url=url)])
    rows.append(
        [
            InlineKeyboardButton(
                text=engine.texts(lang, "watch_off_button"), callback_data=WatchOffCallback().pack()
            )
        ]
    )
    return Reply(to_html(blocks), InlineKeyboardMarkup(inline_keyboard=rows))
