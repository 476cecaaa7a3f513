"""The misses log end to end: what the bot could not answer lands in DATA_DIR's SQLite file."""

from __future__ import annotations

import asyncio

import pytest
from fakes import updates
from fakes.telegram_html import html_to_text
from tg_harness import Running, buttons

from bot.config import Settings
from bot.engine import Answer, AnswerKind, Suggestion
from bot.misses.record import Miss
from bot.misses.sqlite import misses_path, read
from bot.telegram.render import render_answer

OUT_OF_SCOPE = "какая погода в Москве?"
DID_YOU_MEAN = "куда экспортируют"
FACT = "Каков объём экспорта резидентов в 2020 году?"
BOT = "@technopolis_test_bot"


# -- pure parts ---------------------------------------------------------------------


def keyboard_data(engine, answer: Answer, **kwargs) -> list[str]:
    markup = render_answer(engine, answer, **kwargs).keyboard
    return [
        b.callback_data or "" for row in (markup.inline_keyboard if markup else []) for b in row
    ]


def test_none_of_these_only_under_suggestions_in_private_chats(engine) -> None:
    oos = engine.answer(OUT_OF_SCOPE)
    assert keyboard_data(engine, oos, miss_key="k")[-1] == "n:k:ru"
    assert "n:k:ru" not in keyboard_data(engine, oos)  # nothing recorded: no button
    assert keyboard_data(engine, oos, group=True, miss_key="k") == []
    did_you_mean = engine.answer(DID_YOU_MEAN)
    assert keyboard_data(engine, did_you_mean, group=True, miss_key="k")[-1].startswith("a:")
    bare_fact = Answer("q", "en", AnswerKind.FACT, "a", intent="x", score=40.0)
    assert keyboard_data(engine, bare_fact, miss_key="k") == []  # nothing to reject
    chitchat = Answer(
        "hi", "en", AnswerKind.CHITCHAT, "Hello", suggestions=(Suggestion("growth", "Q?"),)
    )
    assert keyboard_data(engine, chitchat, miss_key="k") == ["a:growth:en"]


@pytest.mark.parametrize(
    ("value", "per_update_log", "misses_log"),
    [(None, None, True), ("", None, True), ("true", True, True), ("false", False, False)],
)
def test_log_questions_is_three_way(monkeypatch, value, per_update_log, misses_log) -> None:
    if value is None:
        monkeypatch.delenv("LOG_QUESTIONS", raising=False)
    else:
        monkeypatch.setenv("LOG_QUESTIONS", value)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.log_questions is per_update_log
    assert settings.misses_keep_text is misses_log


def test_data_settings_defaults(monkeypatch) -> None:
    monkeypatch.delenv("DATA_DIR", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert str(settings.data_dir) == "data" and settings.misses_retention_days == 30


# -- through the fake Bot API ---------------------------------------------------------


async def recorded(tg: Running) -> list[Miss]:
    """Everything the running bot's log has committed (waits for its writer)."""
    assert await asyncio.to_thread(tg.dp["misses"].flush)
    return read(misses_path(tg.settings.data_dir))


async def test_an_out_of_scope_question_is_recorded(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    call = await tg.reply(updates.private_text(OUT_OF_SCOPE, user_id=801))
    [row] = await recorded(tg)
    assert (row.kind, row.lang, row.intent, row.text) == (
        "out_of_scope",
        "ru",
        "what_is",
        OUT_OF_SCOPE,
    )
    assert 0 <= row.score < 38
    none_button = buttons(call)[-1]
    assert none_button["text"] == "Ничего из этого"
    assert none_button["callback_data"] == f"n:{row.key}:ru"


async def test_no_user_id_is_stored(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    await tg.reply(updates.private_text(OUT_OF_SCOPE, user_id=80_212_345))
    await tg.shutdown()
    assert b"80212345" not in misses_path(tmp_path).read_bytes()


async def test_log_questions_false_keeps_no_text(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path, log_questions=False)
    await tg.reply(updates.private_text(OUT_OF_SCOPE, user_id=802))
    [row] = await recorded(tg)
    assert row.text is None and row.intent == "what_is" and row.kind == "out_of_scope"


async def test_a_did_you_mean_is_low_confidence_and_offers_none_of_these(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    call = await tg.reply(updates.private_text(DID_YOU_MEAN, user_id=803))
    [row] = await recorded(tg)
    assert row.kind == "low_confidence" and row.text == DID_YOU_MEAN
    suggestion, none_button = buttons(call)
    assert suggestion["callback_data"].startswith("a:")
    assert none_button["callback_data"] == f"n:{row.key}:ru"


async def test_pressing_none_of_these_records_it_and_says_so(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    call = await tg.reply(updates.private_text("What's the weather in Moscow?", user_id=804))
    none_button = buttons(call)[-1]
    assert none_button["text"] == "None of these"
    press = updates.callback(
        none_button["callback_data"], updates.message_from_call(call), user_id=804
    )
    ack = await tg.reply(press)
    assert html_to_text(ack.params["text"]).startswith("Got it, I have no answer to that.")
    [answered] = await tg.api.wait_for("answerCallbackQuery")  # after the reply: aiogram's
    # CallbackAnswerMiddleware answers once the handler is done
    assert answered.params["callback_query_id"] == press["callback_query"]["id"]
    question, rejected = await recorded(tg)
    assert rejected.kind == "none_of_these" and rejected.key == question.key
    assert rejected.text == "What's the weather in Moscow?" and rejected.lang == "en"
    assert rejected.intent == question.intent and rejected.score == question.score


async def test_a_good_answer_is_not_recorded(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    call = await tg.reply(updates.private_text(FACT, user_id=805))
    await tg.reply(updates.private_text("привет", user_id=805))
    assert all(b["callback_data"].startswith("a:") for b in buttons(call))
    assert await recorded(tg) == []


async def test_a_group_question_is_recorded_without_buttons(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    call = await tg.reply(updates.group_text(f"{BOT} {OUT_OF_SCOPE}", chat_id=-100806))
    assert "reply_markup" not in call.params
    [row] = await recorded(tg)
    assert row.kind == "out_of_scope" and "погода" in (row.text or "")


async def test_ask_in_a_group_is_recorded_too(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    await tg.reply(updates.group_text(f"/ask {OUT_OF_SCOPE}", chat_id=-100807))
    [row] = await recorded(tg)
    assert row.kind == "out_of_scope" and row.text == OUT_OF_SCOPE


async def test_shutdown_flushes_the_log(launch, tmp_path) -> None:
    tg = await launch(data_dir=tmp_path)
    questions = [f"сколько стоит билет в цирк номер {i}?" for i in range(20)]
    for i, question in enumerate(questions):
        tg.api.push(updates.private_text(question, user_id=900 + i))
    await tg.api.wait_for("sendMessage", len(questions))
    await tg.shutdown()
    assert "misses" not in tg.dp.workflow_data  # closed
    assert sorted(m.text for m in read(misses_path(tmp_path))) == sorted(questions)
