"""Commands for the people in ADMIN_IDS, in private chats: /reload and /why.

Anyone else sending them gets no reply at all (the update is logged with their user id, so an
admin missing from ADMIN_IDS can find theirs): the commands are in no menu, and an answer
would only tell a stranger they exist. In groups they are not admin commands either, since
their output (knowledge problems, matching internals) is for the operator, not the chat.
"""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.config import Settings
from bot.engine import Answer, AnswerEngine, AnswerKind, Lang
from bot.reload.live import LiveEngine, ReloadResult
from bot.telegram.filters import Magic
from bot.telegram.lang import Langs
from bot.telegram.menu import register_menus
from bot.telegram.render import text_reply
from bot.telegram.respond import send
from bot.telegram.trace import Trace

log = logging.getLogger(__name__)

WHY_KEY = "last"  # an admin's last answer, explained, in their FSM data (beside /lang's)
PROBLEMS_BUDGET = 3500  # characters of problem lines in a reply, under Telegram's 4096


class IsAdmin(Filter):
    """The sender's Telegram user id is in ADMIN_IDS."""

    async def __call__(self, message: Message, settings: Settings) -> bool:
        user = message.from_user
        return user is not None and user.id in settings.admin_ids


async def reload_knowledge(
    bot: Bot, holder: LiveEngine, default_lang: Lang, trigger: str
) -> ReloadResult:
    """Reload (see LiveEngine.reload); on success the command menus follow the new ui.yaml."""
    result = await holder.reload(trigger)
    if result.ok and holder.current is not None:
        try:
            await register_menus(bot, holder.current, default_lang)
        except TelegramAPIError as exc:  # the reload stands; only the menus lag behind
            log.warning("%s: command menus not registered again: %s", trigger, exc)
    return result


def reload_reply(engine: AnswerEngine, lang: Lang, result: ReloadResult) -> str:
    """The outcome: the intent count, or the problems one per line, cut to fit one message."""
    if result.ok:
        return engine.ui(lang, "reload_ok", intents=result.intents)
    lines = [engine.ui(lang, "reload_refused", count=len(result.problems))]
    used = len(lines[0])
    for shown, problem in enumerate(result.problems):
        line = f"• {problem}"
        if used + len(line) + 1 > PROBLEMS_BUDGET:
            lines.append(engine.ui(lang, "reload_more", count=len(result.problems) - shown))
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


async def reload_(
    message: Message,
    bot: Bot,
    holder: LiveEngine,
    engine: AnswerEngine,
    settings: Settings,
    langs: Langs,
    trace: Trace,
) -> None:
    """`/reload`: load the knowledge folder again; reply with the outcome."""
    trace.command("reload", langs.ui)
    user = message.from_user
    trigger = f"/reload by {user.id}" if user else "/reload"
    result = await reload_knowledge(bot, holder, settings.default_lang, trigger)
    # The reply comes from the engine now in service: the new one, or the old one kept.
    serving = holder.current or engine
    await send(bot, message, text_reply(reload_reply(serving, langs.ui, result)))


def lang_reason(engine: AnswerEngine, answer: Answer, langs: Langs) -> str:
    """Why the answer is in its language, mirroring the engine's order of precedence."""
    if langs.explicit is not None:
        return "explicit: /lang"
    if answer.details is None and answer.kind is not AnswerKind.EMPTY:
        return "button/link"
    question = answer.question
    if engine.detect_lang(question, "ru") == engine.detect_lang(question, "en"):
        return "script"
    if langs.code:
        return f"telegram: {langs.code}"
    return f"default: {langs.default}"


def why_record(answer: Answer, langs: Langs, engine: AnswerEngine) -> dict[str, Any]:
    """What /why shows about `answer`, as plain data (any FSM storage can keep it)."""
    trace = answer.details
    return {
        "question": answer.question,
        "kind": answer.kind.value,
        "intent": answer.intent,
        "lang": answer.lang,
        "lang_reason": lang_reason(engine, answer, langs),
        "matched": trace is not None,
        "reading": trace.reading if trace else None,
        "normalized": trace.normalized if trace else None,
        "stated": list(trace.stated) if trace else [],
        "claim": trace.claim if trace else None,
        "candidates": [list(c) for c in trace.candidates] if trace else [],
        "threshold": trace.threshold if trace else None,
        "margin": trace.margin if trace else None,
        "why_oos": trace.why_oos if trace else None,
    }


async def remember_answer(
    state: FSMContext, answer: Answer, langs: Langs, engine: AnswerEngine
) -> None:
    await state.update_data({WHY_KEY: why_record(answer, langs, engine)})


def _confidence(candidate: list[Any]) -> Any:
    return candidate[3] if len(candidate) > 3 else candidate[1]


def render_why(engine: AnswerEngine, lang: Lang, record: dict[str, Any]) -> str:
    """The explanation: reading, language, best intent and example, runner-up and margin."""

    def ui(key: str, **values: object) -> str:
        return engine.ui(lang, key, **values)

    lines = [ui("why_question", question=record["question"])]
    reason = record["lang_reason"]
    if not record["matched"] and record["kind"] != AnswerKind.EMPTY.value:
        lines.append(ui("why_button", intent=record["intent"]))
        lines.append(ui("why_lang", language=record["lang"], reason=reason))
        return "\n".join(lines)
    lines.append(
        ui(
            "why_reading",
            reading=record["reading"] or "-",
            normalized=record["normalized"] or "-",
        )
    )
    lines.append(ui("why_lang", language=record["lang"], reason=reason))
    if record.get("stated"):
        lines.append(
            ui("why_claim", stated=", ".join(record["stated"]), verdict=record.get("claim") or "-")
        )
    if record["kind"] == AnswerKind.OUT_OF_SCOPE.value:
        lines.append(ui("why_out_of_scope", reason=record["why_oos"] or "-"))
    candidates: list[list[Any]] = record["candidates"]
    if not candidates:
        lines.append(ui("why_no_candidates"))
        return "\n".join(lines)
    best = candidates[0]
    threshold = record["threshold"] if record["threshold"] is not None else "-"
    lines.append(
        ui(
            "why_best",
            intent=best[0],
            score=_confidence(best),
            coverage=best[2],
            threshold=threshold,
        )
    )
    if len(best) > 4 and best[4]:
        lines.append(ui("why_example", example=best[4]))
    if len(candidates) > 1:
        second = candidates[1]
        margin = record["margin"]
        if margin is None:
            margin = round(_confidence(best) - _confidence(second), 1)
        lines.append(
            ui("why_runner_up", intent=second[0], score=_confidence(second), margin=margin)
        )
    else:
        lines.append(ui("why_no_runner_up"))
    return "\n".join(lines)


async def why(
    message: Message,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    state: FSMContext,
    trace: Trace,
) -> None:
    """`/why`: how the admin's previous question was read, matched and given its language."""
    trace.command("why", langs.ui)
    record = (await state.get_data()).get(WHY_KEY)
    text = render_why(engine, langs.ui, record) if record else engine.ui(langs.ui, "why_none")
    await send(bot, message, text_reply(text))


async def not_admin(message: Message, langs: Langs, trace: Trace) -> None:
    """Swallowed without a reply (see the module docstring); the log says who tried."""
    name = (message.text or "").split()[0].split("@")[0].lstrip("/")
    trace.command(name, langs.ui)
    trace.outcome = "ignored"
    user = message.from_user
    log.info("/%s from user %s ignored: not in ADMIN_IDS", name, user.id if user else "?")


def build() -> Router:
    router = Router(name="admin")
    router.message.filter(Magic(F.chat.type == ChatType.PRIVATE))
    router.message.register(reload_, Command("reload"), IsAdmin())
    router.message.register(why, Command("why"), IsAdmin())
    router.message.register(not_admin, Command("reload", "why"))
    return router
