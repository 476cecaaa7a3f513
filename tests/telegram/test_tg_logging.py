"""One structured line per answered update; no question text unless allowed; never the token."""

from __future__ import annotations

import logging

from fakes import updates

from bot.telegram.logs import REDACTED, RedactToken

SECRET_QUESTION = "Каков объём экспорта резидентов в 2020 году?"


async def test_one_line_per_update_without_the_question(tg, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    await tg.reply(updates.private_text(SECRET_QUESTION, user_id=401))
    await tg.reply(updates.private_text("/help", user_id=401))
    await tg.shutdown()
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.telegram.updates"]
    assert len(lines) == 2
    assert lines[0].startswith("answered update=message chat=private lang=ru kind=fact")
    assert "intent=export_volume" in lines[0] and "score=" in lines[0] and " ms=" in lines[0]
    assert "объём экспорта" not in caplog.text
    assert lines[1].startswith("answered update=message chat=private lang=ru kind=command")
    assert "intent=/help" in lines[1]
    assert tg.api.token not in caplog.text
    assert tg.api.token.split(":")[1] not in caplog.text


async def test_questions_are_logged_when_allowed(launch, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram")
    tg = await launch(log_questions=True)
    await tg.reply(updates.private_text(SECRET_QUESTION, user_id=402))
    assert f'question="{SECRET_QUESTION}"' in caplog.text


async def test_inline_and_callback_updates_are_logged_too(tg, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram.updates")
    tg.api.push(updates.inline("экспорт", user_id=403))
    await tg.api.wait_for("answerInlineQuery")
    await tg.settle()
    assert "answered update=inline_query chat=private lang=ru" in caplog.text


def test_the_token_is_scrubbed_from_any_log_line() -> None:
    token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "GET https://api/bot%s/getMe failed", (token,), None
    )
    assert RedactToken(token).filter(record)
    assert token not in record.getMessage()
    assert token.split(":")[1] not in record.getMessage()
    assert REDACTED in record.getMessage()
