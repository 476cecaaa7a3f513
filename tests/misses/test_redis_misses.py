"""The misses log as a Redis stream: one picture for all replicas, SQLite while Redis is down,
and `technopolis-bot misses` reading both."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.misses.record import Miss
from bot.misses.redis import STREAM, MissStream, read_stream
from bot.misses.sqlite import DAY, MissLog, misses_path, read
from bot.misses.store import merge, open_misses, read_misses


def miss(text: str | None, key: str | None = None, **fields: object) -> Miss:
    values: dict[str, object] = {
        "ts": time.time(),
        "lang": "ru",
        "kind": "out_of_scope",
        "intent": "what_is",
        "score": 3.5,
        "text": text,
        "key": key,
        **fields,
    }
    return Miss(**values)  # type: ignore[arg-type]


def press(key: str, **fields: object) -> Miss:
    return miss(None, key, kind="none_of_these", intent=None, score=0.0, **fields)


@pytest.fixture
def streams() -> Iterator[list[MissStream]]:
    opened: list[MissStream] = []
    yield opened
    for stream in opened:
        stream.close()


def new_stream(opened: list[MissStream], url: str, data: Path, **kwargs: object) -> MissStream:
    stream = MissStream(url, misses_path(data), **kwargs)  # type: ignore[arg-type]
    opened.append(stream)
    return stream


# -- merging the two sources (no Redis needed) ---------------------------------------


def test_merge_keeps_each_record_once_and_fills_presses_from_their_question() -> None:
    q = miss("какая погода?", "k1", ts=100.0, lang="ru", intent="what_is", score=4.0)
    merged = merge([q, press("k1", ts=101.0, lang="en")], [q, press("k1", ts=102.0), press("zz")])
    assert [m.kind for m in merged] == ["out_of_scope", "none_of_these", "none_of_these"]
    filled = merged[1]
    assert (filled.text, filled.lang, filled.intent, filled.score) == (
        "какая погода?",
        "ru",
        "what_is",
        4.0,
    )
    assert merged[2].key == "zz" and merged[2].text is None  # its question is unknown: bare


# -- the stream writer ---------------------------------------------------------------


def test_records_land_in_the_stream_and_no_file_is_created(redis_server, streams, tmp_path) -> None:
    stream = new_stream(streams, redis_server.url, tmp_path)
    stream.record(miss("какая погода?", "k1"))
    stream.record(miss("x" * 5000, "k2"))
    stream.record(press("k1"))
    assert stream.flush()
    found = read_stream(redis_server.url)
    assert [m.key for m in found] == ["k1", "k2", "k1"]
    assert found[0] == miss("какая погода?", "k1", ts=found[0].ts)
    assert len(found[1].text or "") == 1000  # cut as MissLog cuts it
    assert not misses_path(tmp_path).exists()


def test_keep_text_false_keeps_no_text(redis_server, streams, tmp_path) -> None:
    stream = new_stream(streams, redis_server.url, tmp_path, keep_text=False)
    stream.record(miss("секрет", "k1"))
    assert stream.flush()
    [found] = read_stream(redis_server.url)
    assert found.text is None and found.intent == "what_is"


def test_redis_down_writes_go_to_sqlite_then_to_the_stream_again(
    redis_server, streams, tmp_path, caplog
) -> None:
    caplog.set_level(logging.INFO)
    stream = new_stream(streams, redis_server.url, tmp_path)
    stream.record(miss("до сбоя", "k1"))
    assert stream.flush()
    redis_server.stop()  # the stream goes with it (no persistence in the tests)
    for i in range(5):
        stream.record(miss(f"во время сбоя {i}", f"d{i}"))
    assert stream.flush()
    assert [m.text for m in read(misses_path(tmp_path))] == [f"во время сбоя {i}" for i in range(5)]
    down = [r for r in caplog.records if "misses log: Redis unavailable" in r.getMessage()]
    assert len(down) == 1

    redis_server.start()
    deadline = time.monotonic() + 10
    while True:  # the next write after the pause goes to Redis again
        stream.record(miss("после", "after"))
        assert stream.flush()
        if any(m.key == "after" for m in read_stream(redis_server.url)):
            break
        assert time.monotonic() < deadline, "the writer did not go back to Redis"
        time.sleep(0.2)
    assert any("misses log: Redis back" in r.getMessage() for r in caplog.records)
    stream.close()
    # Nothing lost: the stream and the file together have every record.
    texts = {m.text for m in read_misses(tmp_path, redis_server.url).misses}
    assert {f"во время сбоя {i}" for i in range(5)} | {"после"} <= texts


def test_retention_trims_old_entries_at_start(redis_server, streams, tmp_path) -> None:
    old_ms = int((time.time() - 40 * DAY) * 1000)
    with redis_server.client() as client:
        client.xadd(
            STREAM,
            {"ts": str(old_ms / 1000), "lang": "ru", "kind": "out_of_scope", "score": "1"},
            id=f"{old_ms}-0",
        )
        client.xadd(
            STREAM, {"ts": str(time.time()), "lang": "ru", "kind": "out_of_scope", "score": "1"}
        )
    stream = new_stream(streams, redis_server.url, tmp_path, retention_days=30)
    assert stream.flush()
    deadline = time.monotonic() + 5
    while len(read_stream(redis_server.url)) != 1:
        assert time.monotonic() < deadline, "the old entry was not trimmed"
        time.sleep(0.05)


def test_open_misses_follows_redis_url(redis_server, tmp_path) -> None:
    plain = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    shared = Settings(_env_file=None, data_dir=tmp_path, redis_url=redis_server.url)  # type: ignore[call-arg]
    for settings, kind in ((plain, MissLog), (shared, MissStream)):
        sink = open_misses(settings)
        assert isinstance(sink, kind)
        assert sink.close()


# -- the command ---------------------------------------------------------------------


def test_misses_command_reads_the_stream_and_the_local_file(
    redis_server, streams, tmp_path, capsys, monkeypatch
) -> None:
    data = tmp_path / "data"
    local = MissLog(misses_path(data))  # written while Redis was down, say
    local.record(miss("какая погода в Москве?", "k1"))
    local.record(press("k2"))  # pressed under an answer whose question is in the stream
    assert local.close()
    stream = new_stream(streams, redis_server.url, tmp_path / "elsewhere")
    stream.record(miss("какая погода в Москве сегодня?", "k2"))
    stream.record(miss("сколько стоит аренда?", "k3", intent="countries"))
    assert stream.flush()

    monkeypatch.setenv("REDIS_URL", redis_server.url)
    assert main(["misses", "--data-dir", str(data), "--json"]) == 0
    groups = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(g["count"], g["none_of_these"], g["intent"]) for g in groups] == [
        (2, 1, "what_is"),
        (1, 0, "countries"),
    ]

    redis_server.stop()
    assert main(["misses", "--data-dir", str(data), "--json"]) == 0
    out, err = capsys.readouterr()
    assert "unavailable" in err and str(misses_path(data)) in err
    assert [json.loads(line)["count"] for line in out.splitlines()] == [1, 1]


def test_misses_command_with_nothing_anywhere_names_both_places(
    redis_server, tmp_path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    assert main(["misses", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"Redis 127.0.0.1:{redis_server.port}/0 and {misses_path(tmp_path)}" in out
