"""Metrics on their own registry, and what the health check calls healthy."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from bot.health.metrics import Metrics
from bot.health.state import Health


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The exposition text parsed back: (sample name, sorted labels) -> value."""
    text = metrics.render().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_answers_out_of_scope_and_commands_are_counted_apart() -> None:
    m = Metrics()
    m.update("message")
    m.update("message")
    m.update("callback_query")
    m.answered("fact", "export_volume", "ru", 0.05)
    m.answered("chitchat", "greeting", "en", 0.02)
    m.answered("out_of_scope", None, "en", 0.03)
    m.answered("command", "/help", "ru", 0.01)  # not an answer
    got = samples(m)
    assert got[("updates_total", (("type", "message"),))] == 2
    assert got[("updates_total", (("type", "callback_query"),))] == 1
    assert got[("answers_total", (("intent", "export_volume"), ("lang", "ru")))] == 1
    assert got[("answers_total", (("intent", "greeting"), ("lang", "en")))] == 1
    assert not any(name == "answers_total" and ("intent", "/help") in lb for name, lb in got)
    assert got[("out_of_scope_total", (("lang", "en"),))] == 1
    assert got[("out_of_scope_total", (("lang", "ru"),))] == 0
    assert got[("answer_latency_seconds_count", ())] == 3
    assert got[("answer_latency_seconds_bucket", (("le", "0.025"),))] == 1


def test_api_errors_retries_and_reloads() -> None:
    m = Metrics()
    m.api_error(429)
    m.api_error("network")
    m.retry("sendMessage")
    m.reloaded(True)
    m.reloaded(False)
    m.reloaded(False)
    got = samples(m)
    assert got[("telegram_api_errors_total", (("code", "429"),))] == 1
    assert got[("telegram_api_errors_total", (("code", "network"),))] == 1
    assert got[("telegram_retries_total", (("method", "sendMessage"),))] == 1
    assert got[("knowledge_reloads_total", (("result", "ok"),))] == 1
    assert got[("knowledge_reloads_total", (("result", "refused"),))] == 2


def test_each_instance_has_its_own_registry() -> None:
    a, b = Metrics(), Metrics()
    a.update("message")
    assert a.registry.get_sample_value("updates_total", {"type": "message"}) == 1
    assert b.registry.get_sample_value("updates_total", {"type": "message"}) is None


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_polling_is_healthy_while_getupdates_keeps_succeeding() -> None:
    clock = Clock()
    health = Health(knowledge_loaded=lambda: True, stale_after=40, clock=clock)
    ok, report = health.check()
    assert not ok and report["problems"] == ["not receiving updates"]  # not started
    health.polling()
    assert not health.check()[0]  # started, nothing sent yet (getMe may still be failing)
    health.poll_started()
    clock.now += 10
    assert health.check()[0]  # the first long poll, waiting for updates
    health.polled()
    health.poll_started()
    clock.now += 39
    ok, report = health.check()
    assert ok and report["status"] == "ok" and report["transport"] == "polling"
    assert report["last_poll_seconds_ago"] == 39
    clock.now += 2  # a poll hanging for longer than the window: the connection is dead
    ok, report = health.check()
    assert not ok and report["problems"] == ["no successful getUpdates recently"]
    health.polled()
    assert health.check()[0]
    health.stopped()
    assert not health.check()[0]


def test_failing_polls_turn_it_unhealthy_once_the_last_success_is_old() -> None:
    clock = Clock()
    health = Health(knowledge_loaded=lambda: True, stale_after=40, clock=clock)
    health.polling()
    health.poll_started()
    health.polled()
    for _ in range(5):  # aiogram backs off and tries again
        clock.now += 5
        health.poll_started()
        health.polled(ok=False)
    assert health.check()[0]  # one bad patch within the window is tolerated
    clock.now += 16
    health.poll_started()  # in flight, but after failures: it proves nothing yet
    assert not health.check()[0]
    health.polled()
    assert health.check()[0]


def test_a_missing_knowledge_base_is_unhealthy() -> None:
    loaded = False
    health = Health(knowledge_loaded=lambda: loaded)
    health.polling()
    health.polled()
    ok, report = health.check()
    assert not ok and report["problems"] == ["knowledge base not loaded"]
    loaded = True
    assert health.check()[0]


def test_a_webhook_is_healthy_once_registered() -> None:
    health = Health(knowledge_loaded=lambda: True)
    health.webhook(registered=False)
    ok, report = health.check()
    assert not ok and report["problems"] == ["webhook not registered"]
    health.webhook(registered=True)
    ok, report = health.check()
    assert ok and report["webhook_registered"] is True
