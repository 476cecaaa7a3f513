"""Pure parts: rendering and truncation, token buckets, the request policy, settings."""

from __future__ import annotations

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.methods import GetMe, SendMessage
from fakes.telegram_html import check_html, html_to_text, utf16_len

from bot.config import Settings
from bot.engine import Answer, AnswerKind, Source, Suggestion
from bot.limits.buckets import Bucket
from bot.telegram.render import MAX_TEXT, Block, keyboard, render_answer, to_html
from bot.telegram.transport import BotSession, Limits, RequestPolicy

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def fact(text: str, quote: str = "цитата", speaker: str | None = "Кто-то, роль") -> Answer:
    return Answer(
        question="q",
        lang="ru",
        kind=AnswerKind.FACT,
        text=text,
        intent="x",
        sources=(Source(quote, speaker),),
    )


def test_everything_not_ours_is_escaped(engine) -> None:
    reply = render_answer(engine, fact("a <b>&</b> c", quote='<i>q</i> & "x"', speaker="<s>"))
    assert check_html(reply.html) == []
    assert html_to_text(reply.html) == 'a <b>&</b> c\n\n<i>q</i> & "x"\n— <s>'
    assert reply.html.count("<blockquote>") == 1


def test_article_quote_without_speaker_is_labelled(engine) -> None:
    reply = render_answer(engine, fact("ответ", speaker=None))
    assert reply.html.endswith("— текст статьи</blockquote>")


@pytest.mark.parametrize("unit", ["я", "😀", "<&>"])
def test_long_text_is_cut_under_the_limit_after_parsing(engine, unit) -> None:
    reply = render_answer(engine, fact(unit * 5000, quote=unit * 3000))
    visible = html_to_text(reply.html)
    assert check_html(reply.html) == []
    assert utf16_len(visible) <= MAX_TEXT
    assert visible.endswith("…")
    assert "\ud83d" not in visible  # never a half surrogate pair


def test_short_blocks_are_untouched() -> None:
    assert to_html([Block("a"), Block("b", quote=True)]) == "a\n\n<blockquote>b</blockquote>"


def test_buttons_with_too_long_data_are_left_out() -> None:
    markup = keyboard([Suggestion("ok_intent", "Q1"), Suggestion("x" * 80, "Q2")], "ru")
    assert markup is not None
    [[button]] = markup.inline_keyboard
    assert button.callback_data == "a:ok_intent:ru"
    assert keyboard([Suggestion("y" * 80, "Q")], "en") is None


def test_out_of_scope_in_groups_is_short_and_without_buttons(engine) -> None:
    answer = engine.answer("какая погода в Москве?")
    assert answer.kind is AnswerKind.OUT_OF_SCOPE
    group = render_answer(engine, answer, group=True)
    private = render_answer(engine, answer)
    assert group.html == "В статье об этом не говорится." and group.keyboard is None
    assert private.keyboard is not None and len(private.keyboard.inline_keyboard) == 3


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_bucket_allows_a_burst_then_the_rate() -> None:
    clock = Clock()
    bucket = Bucket(rate=1.0, capacity=3, clock=clock)
    assert [bucket.try_take() for _ in range(4)] == [True, True, True, False]
    clock.now = 1.0
    assert bucket.try_take() and not bucket.try_take()


def test_bucket_reservations_queue_up_in_order() -> None:
    clock = Clock()
    bucket = Bucket(rate=2.0, capacity=1, clock=clock)
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.5, 1.0]


async def test_policy_spaces_out_messages_to_one_group() -> None:
    policy = RequestPolicy(
        Limits(per_chat_burst=1, per_chat_rate=1.0, per_group_rate=0.5, per_group_burst=1)
    )
    bot_id = Bot(TOKEN).id
    delay = policy.send_limits.delay
    assert await delay(bot_id, -100) == 0.0
    assert await delay(bot_id, -100) == pytest.approx(2.0, abs=0.05)  # the group limit is stricter
    assert await delay(bot_id, 42) == 0.0  # another chat is not held up


class Script:
    """make_request stand-in that raises the given errors, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self, bot, method):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def timeout_error(method) -> TelegramNetworkError:
    err = TelegramNetworkError(method, "Request timeout error")
    err.__cause__ = TimeoutError()
    return err


async def test_a_send_that_timed_out_is_not_repeated() -> None:
    """Telegram may have delivered it: repeating could post the answer twice."""
    method = SendMessage(chat_id=1, text="x")
    script = Script(timeout_error(method))
    with pytest.raises(TelegramNetworkError):
        await RequestPolicy(Limits(backoff=0))(script, Bot(TOKEN), method)
    assert script.calls == 1


async def test_reads_are_retried_after_a_timeout_and_5xx() -> None:
    method = GetMe()
    script = Script(timeout_error(method), TelegramServerError(method, "Bad Gateway"))
    assert await RequestPolicy(Limits(backoff=0))(script, Bot(TOKEN), method) == "ok"
    assert script.calls == 3


async def test_retries_give_up_eventually() -> None:
    method = SendMessage(chat_id=1, text="x")
    script = Script(*[TelegramServerError(method, "Bad Gateway")] * 10)
    with pytest.raises(TelegramServerError):
        await RequestPolicy(Limits(backoff=0, retries=2))(script, Bot(TOKEN), method)
    assert script.calls == 3


def test_a_proxy_error_page_is_a_server_error() -> None:
    session = BotSession()
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    with pytest.raises(TelegramServerError):
        session.check_response(Bot(TOKEN), GetMe(), 502, page)


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({}, None),
        ({"webhook_url": "https://bot.example.com/tg"}, None),
        ({"webhook_url": "bot.example.com/tg"}, "WEBHOOK_URL"),
        ({"webhook_url": "https://x/tg", "webhook_secret": "has space"}, "WEBHOOK_SECRET"),
        ({"webhook_url": "https://x/tg", "webhook_secret": ""}, None),
    ],
)
def test_webhook_settings_are_checked(values, problem) -> None:
    found = Settings(_env_file=None, **values).webhook_problem()  # type: ignore[call-arg]
    assert (found is None) if problem is None else (problem in found)
