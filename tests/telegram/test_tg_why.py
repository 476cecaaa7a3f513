"""/why: how an admin's previous question was read, matched and given its language."""

from __future__ import annotations

import pytest
from aiogram.fsm.storage.base import StorageKey
from fakes import updates
from fakes.telegram_html import html_to_text
from tg_harness import buttons

from bot.telegram.routers.admin import WHY_KEY

ADMIN = 901
QUESTION = "Каков объём экспорта резидентов в 2020 году?"


@pytest.fixture
async def tg(launch):
    return await launch(admin_ids=f"{ADMIN}, 902")


async def why(tg, user_id: int = ADMIN, language_code: str = "ru") -> list[str]:
    call = await tg.reply(
        updates.private_text("/why", user_id=user_id, language_code=language_code)
    )
    return html_to_text(call.params["text"]).splitlines()


async def test_why_explains_the_match_the_runner_up_and_the_language(tg, engine) -> None:
    await tg.reply(updates.private_text(QUESTION, user_id=ADMIN))
    lines = await why(tg)
    details = engine.answer(QUESTION, user_lang="ru").details
    assert details is not None
    best, second = details.candidates[:2]
    assert lines[0] == f"Вопрос: {QUESTION}"
    assert lines[1] == f"Прочтение: as_written; слова: {details.normalized}"
    assert lines[2] == "Язык: ru (script)"
    assert lines[3] == (
        f"Лучший интент: export_volume, оценка {best[3]}, покрытие {best[2]} "
        f"(порог {details.bar})"
    )
    assert lines[4] == f"Ближайший пример: {best[4]}"
    assert lines[5] == f"Второй: {second[0]}, оценка {second[3]}, отрыв {details.margin}"


async def test_why_shows_the_values_a_claim_states_and_the_verdict(tg) -> None:
    await tg.reply(updates.private_text("экспорт вырос вдвое, так?", user_id=ADMIN))
    lines = await why(tg)
    assert lines[3] == "Значения в сообщении: multiplier:вдвое; вердикт: multiplier: refuted"
    assert lines[4].startswith("Лучший интент: growth")


async def test_why_speaks_the_admins_language_and_tells_the_layout_reading(tg) -> None:
    await tg.reply(updates.private_text("ckjkmrj 'rcgjhnbhjdfkb", user_id=ADMIN))
    lines = await why(tg, language_code="en")
    assert lines[1] == "Reading: layout; words: сколько экспортировали"
    assert lines[2] == "Language: ru (script)"
    assert lines[3].startswith("Best intent: export_volume, score ")


async def test_the_language_decision_explicit_then_telegram(tg) -> None:
    await tg.reply(updates.private_text("/lang en", user_id=ADMIN))
    await tg.reply(updates.private_text(QUESTION, user_id=ADMIN))
    assert "Language: en (explicit: /lang)" in await why(tg)  # /lang en: replies in English

    await tg.reply(updates.private_text("2020?", user_id=902, language_code="en-US"))
    assert "Language: en (telegram: en-US)" in await why(tg, user_id=902, language_code="en-US")


async def test_the_language_decision_by_default(launch) -> None:
    tg = await launch(admin_ids="903", default_lang="en")
    await tg.reply(updates.private_text("2020?", user_id=903, language_code=None))
    call = await tg.reply(updates.private_text("/why", user_id=903, language_code=None))
    assert "Language: en (default: en)" in html_to_text(call.params["text"])


async def test_out_of_scope_says_why(tg) -> None:
    await tg.reply(updates.private_text("what is the weather in paris", user_id=ADMIN))
    lines = await why(tg)
    assert "Вне статьи: no shared words" in lines
    assert "Ни один интент не разделяет слов с вопросом." in lines


async def test_a_button_answer_says_no_matching_took_place(tg) -> None:
    first = await tg.reply(updates.private_text("/start", user_id=ADMIN))
    button = buttons(first)[0]
    await tg.reply(
        updates.callback(button["callback_data"], updates.message_from_call(first), user_id=ADMIN)
    )
    lines = await why(tg)
    assert lines[1].startswith("Ответ по кнопке или ссылке на интент ")
    assert lines[2] == "Язык: ru (button/link)"


async def test_a_question_asked_in_a_group_is_explained_in_private(tg) -> None:
    call = await tg.reply(updates.group_text(f"/ask {QUESTION}", user_id=ADMIN))
    assert "1,2 млрд рублей" in call.params["text"]
    assert "Лучший интент: export_volume" in "\n".join(await why(tg))


async def test_nothing_to_explain_yet(tg) -> None:
    assert await why(tg) == ["Объяснять пока нечего. Задайте вопрос, затем отправьте /why."]


async def test_questions_of_other_users_are_not_kept(tg) -> None:
    await tg.reply(updates.private_text(QUESTION, user_id=904))
    key = StorageKey(bot_id=tg.bot.id, chat_id=904, user_id=904)
    assert WHY_KEY not in await tg.dp.storage.get_data(key)
    tg.api.push(updates.private_text("/why", user_id=904))
    await tg.settle()
    assert len(tg.api.sent_messages(904)) == 1  # the answer only, no explanation
