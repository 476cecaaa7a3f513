"""What /why explains: an admin's last answer kept as plain data in their FSM storage (any
storage can hold it), and how it is shown. Engine internals for the operator, not the chat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.fsm.context import FSMContext

from bot.engine import Answer, AnswerEngine, AnswerKind, Lang
from bot.engine.texts import Texts
from bot.engine.types import Trace
from bot.telegram.lang import LanguagePrefs

WHY_KEY = "last"  # an admin's last answer, explained, in their FSM data (beside /lang's)


def lang_reason(engine: AnswerEngine, answer: Answer, langs: LanguagePrefs) -> str:
    """Why the answer is in its language, mirroring the engine's order of precedence."""
    if langs.explicit is not None:
        return "explicit: /lang"
    if answer.details is None and answer.kind is not AnswerKind.EMPTY:
        return "button/link"
    if engine.script_decides(answer.question):
        return "script"
    if langs.code:
        return f"telegram: {langs.code}"
    return f"default: {langs.default}"


def why_record(answer: Answer, langs: LanguagePrefs, engine: AnswerEngine) -> dict[str, Any]:
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
        "threshold": _bar(trace),
        "margin": trace.margin if trace else None,
        "why_oos": trace.why_oos if trace else None,
    }


async def remember_answer(
    state: FSMContext, answer: Answer, langs: LanguagePrefs, engine: AnswerEngine
) -> None:
    await state.update_data({WHY_KEY: why_record(answer, langs, engine)})


def _bar(trace: Trace | None) -> float | None:
    """The confidence the match needed: lower where evidence says the intent is the topic."""
    if trace is None:
        return None
    return trace.bar if trace.bar is not None else trace.threshold


def _confidence(candidate: list[Any]) -> Any:
    return candidate[3] if len(candidate) > 3 else candidate[1]


def render_why(texts: Texts, lang: Lang, record: dict[str, Any]) -> str:
    """The explanation: reading, language, best intent and example, runner-up and margin."""

    def ui(key: str, **values: object) -> str:
        return texts(lang, key, **values)

    lines = [ui("why_question", question=record["question"])]
    language = ui("why_lang", language=record["lang"], reason=record["lang_reason"])
    if not record["matched"] and record["kind"] != AnswerKind.EMPTY.value:
        return "\n".join([*lines, ui("why_button", intent=record["intent"]), language])
    reading = record["reading"] or "-"
    lines += [ui("why_reading", reading=reading, normalized=record["normalized"] or "-"), language]
    if record.get("stated"):
        stated = ", ".join(record["stated"])
        lines.append(ui("why_claim", stated=stated, verdict=record.get("claim") or "-"))
    if record["kind"] == AnswerKind.OUT_OF_SCOPE.value:
        lines.append(ui("why_out_of_scope", reason=record["why_oos"] or "-"))
    return "\n".join(lines + _candidate_lines(ui, record))


def _candidate_lines(ui: Callable[..., str], record: dict[str, Any]) -> list[str]:
    """The best intent (and its example) and the runner-up with the margin between them."""
    candidates: list[list[Any]] = record["candidates"]
    if not candidates:
        return [ui("why_no_candidates")]
    best = candidates[0]
    threshold = record["threshold"] if record["threshold"] is not None else "-"
    lines = [
        ui("why_best", intent=best[0], score=_confidence(best), coverage=best[2], threshold=threshold)
    ]
    if len(best) > 4 and best[4]:
        lines.append(ui("why_example", example=best[4]))
    if len(candidates) == 1:
        return [*lines, ui("why_no_runner_up")]
    second = candidates[1]
    margin = record["margin"]
    if margin is None:
        margin = round(_confidence(best) - _confidence(second), 1)
    return [*lines, ui("why_runner_up", intent=second[0], score=_confidence(second), margin=margin)]
