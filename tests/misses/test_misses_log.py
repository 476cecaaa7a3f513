"""The misses log: what counts as a miss, and the SQLite writer behind `MissLog.record`."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine import Answer, AnswerEngine, AnswerKind, Suggestion
from bot.misses import sqlite as sqlite_module
from bot.misses import writer as writer_module
from bot.misses.record import LOW_CONFIDENCE_MARGIN, Miss, miss_for, miss_kind
from bot.misses.sqlite import DAY, MissLog, misses_path, read
from bot.misses.writer import MAX_TEXT

THRESHOLD = 38.0


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.load()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return misses_path(tmp_path / "data")


@pytest.fixture
def open_log(db: Path) -> Iterator[list[MissLog]]:
    """Logs a test opens; closed at teardown so no writer thread outlives its test."""
    opened: list[MissLog] = []
    yield opened
    for log in opened:
        log.close()


def new_log(opened: list[MissLog], db: Path, **kwargs: object) -> MissLog:
    log = MissLog(db, **kwargs)  # type: ignore[arg-type]
    opened.append(log)
    return log


def miss(text: str | None = "какая погода в Москве?", **fields: object) -> Miss:
    values: dict[str, object] = {
        "ts": time.time(),
        "lang": "ru",
        "kind": "out_of_scope",
        "intent": "what_is",
        "score": 3.6,
        "text": text,
        "key": None,
        **fields,
    }
    return Miss(**values)  # type: ignore[arg-type]


def fact(score: float, suggestions: tuple[Suggestion, ...] = ()) -> Answer:
    return Answer("q", "ru", AnswerKind.FACT, "a", intent="x", score=score, suggestions=suggestions)


# -- what counts as a miss -----------------------------------------------------------


def test_out_of_scope_is_a_miss_with_its_nearest_intent(engine) -> None:
    answer = engine.answer("какая погода в Москве?")
    recorded = miss_for(answer, engine.threshold)
    assert recorded is not None
    assert (recorded.kind, recorded.lang, recorded.intent) == ("out_of_scope", "ru", "what_is")
    assert recorded.score == answer.score and recorded.text == "какая погода в Москве?"
    assert recorded.key and len(recorded.key) == 12


def test_a_sure_answer_is_no_miss(engine) -> None:
    answer = engine.answer("Каков объём экспорта резидентов в 2020 году?")
    assert miss_for(answer, engine.threshold) is None


def test_a_did_you_mean_is_low_confidence(engine) -> None:
    answer = engine.answer("куда экспортируют")
    assert answer.suggestions  # "did you mean"
    recorded = miss_for(answer, engine.threshold)
    assert recorded is not None and recorded.kind == "low_confidence"
    assert recorded.intent == answer.intent


def test_low_confidence_is_a_score_near_the_threshold() -> None:
    near = THRESHOLD + LOW_CONFIDENCE_MARGIN
    assert miss_kind(fact(near - 0.1), THRESHOLD) == "low_confidence"
    assert miss_kind(fact(near), THRESHOLD) is None
    assert miss_kind(fact(99, (Suggestion("y", "Y?"),)), THRESHOLD) == "low_confidence"


def test_small_talk_and_empty_input_are_no_miss(engine) -> None:
    assert miss_for(engine.answer("привет"), engine.threshold) is None
    assert miss_for(engine.answer("😀"), engine.threshold) is None


# -- the log ----------------------------------------------------------------------


def test_recorded_misses_are_read_back_in_wal_mode(open_log, db) -> None:
    log = new_log(open_log, db)
    first, second = miss(key="k1"), miss("What's the weather?", lang="en", intent=None, key="k2")
    log.record(first)
    log.record(second)
    assert log.flush()
    assert read(db) == [first, second]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_the_data_dir_is_created(open_log, tmp_path) -> None:
    db = misses_path(tmp_path / "not" / "yet" / "there")
    log = new_log(open_log, db)
    log.record(miss())
    assert log.flush() and db.is_file()


def test_text_switched_off_stores_null(open_log, db) -> None:
    log = new_log(open_log, db, keep_text=False)
    log.record(miss("секретный вопрос"))
    assert log.flush()
    [row] = read(db)
    assert row.text is None and row.intent == "what_is"
    assert b"\xd1\x81\xd0\xb5\xd0\xba\xd1\x80" not in db.read_bytes()  # "секр" nowhere


def test_long_questions_are_cut(open_log, db) -> None:
    log = new_log(open_log, db)
    log.record(miss("я" * (MAX_TEXT * 3)))
    assert log.flush()
    [row] = read(db)
    assert row.text == "я" * MAX_TEXT


def test_retention_purges_old_rows_at_open(open_log, db) -> None:
    now = time.time()
    log = new_log(open_log, db, retention_days=0)  # keeps everything
    log.record(miss("old", ts=now - 40 * DAY))
    log.record(miss("recent", ts=now - 2 * DAY))
    assert log.close()
    assert [m.text for m in read(db)] == ["old", "recent"]
    new_log(open_log, db, retention_days=30).flush()
    assert [m.text for m in read(db)] == ["recent"]


def test_retention_is_applied_while_misses_keep_coming(open_log, db, monkeypatch, caplog) -> None:
    """The daily purge does not wait for a quiet moment: a log that is never idle (a thread
    keeps its queue full) still drops the rows older than the retention."""
    caplog.set_level(logging.ERROR, logger="bot.misses.writer")  # "writer is behind": meant
    monkeypatch.setattr(sqlite_module, "PURGE_EVERY", 0.2)
    log = new_log(open_log, db, retention_days=30)
    log.record(miss("old", ts=time.time() - 40 * DAY))  # after the purge at open
    stop = threading.Event()

    def flood() -> None:
        while not stop.is_set():
            log.record(miss("recent"))

    flooding = threading.Thread(target=flood)
    flooding.start()
    try:
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline and _texts(db) != {"recent"}:
            time.sleep(0.05)
    finally:
        stop.set()
        flooding.join()
    assert _texts(db) == {"recent"}


def _texts(db: Path) -> set[str | None]:
    return {m.text for m in read(db)}


def test_read_since_and_a_missing_database(open_log, db) -> None:
    assert read(db) == []
    now = time.time()
    log = new_log(open_log, db)
    log.record(miss("old", ts=now - 3 * DAY))
    log.record(miss("new", ts=now - 60))
    assert log.flush()
    assert [m.text for m in read(db, since=now - DAY)] == ["new"]


def test_none_of_these_takes_the_question_from_its_row(open_log, db) -> None:
    log = new_log(open_log, db)
    log.record(miss("какая погода в Москве?", key="abc"))
    press = miss(None, kind="none_of_these", intent=None, score=0.0, lang="en", key="abc")
    log.record(press)
    log.record(press)  # a second press is not counted twice
    log.record(miss(None, kind="none_of_these", intent=None, score=0.0, key="gone"))
    assert log.flush()
    question, rejected, orphan = read(db)
    assert rejected.kind == "none_of_these"
    assert (rejected.text, rejected.lang, rejected.intent, rejected.score) == (
        question.text,
        "ru",
        "what_is",
        question.score,
    )
    assert orphan.key == "gone" and orphan.text is None


def test_record_does_not_wait_for_the_disk(open_log, db, monkeypatch) -> None:
    """A writer stuck on the disk does not hold up `record`: the caller is back before the
    first row is even written."""
    writing = threading.Event()
    release = threading.Event()
    real_insert = MissLog._insert

    def stuck_insert(self: MissLog, conn: sqlite3.Connection, m: Miss) -> None:
        writing.set()
        release.wait(30)
        real_insert(self, conn, m)

    monkeypatch.setattr(MissLog, "_insert", stuck_insert)
    log = new_log(open_log, db)
    log.record(miss("first"))
    assert writing.wait(10)  # the writer holds "first" and waits on the disk...
    for i in range(100):
        log.record(miss(f"more {i}"))  # ...and these still return at once
    assert not release.is_set() and read(db) == []
    release.set()
    assert log.flush()
    assert len(read(db)) == 101


def test_a_database_that_cannot_be_opened_drops_quietly(open_log, tmp_path, caplog) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    log = new_log(open_log, misses_path(blocker))
    assert log.close()
    log.record(miss())  # no exception on the answer path
    assert log.dropped == 1
    assert "misses are not recorded" in caplog.text


def test_records_after_close_are_dropped(open_log, db) -> None:
    log = new_log(open_log, db)
    log.record(miss("kept"))
    assert log.close()
    log.record(miss("late"))
    assert [m.text for m in read(db)] == ["kept"]
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def test_a_full_queue_drops_instead_of_growing(open_log, db, monkeypatch) -> None:
    monkeypatch.setattr(writer_module, "MAX_PENDING", 0)
    log = new_log(open_log, db)
    log.record(miss())
    assert log.dropped == 1


def test_written_is_done_only_once_the_record_is_in_the_database(
    open_log: list[MissLog], db: Path
) -> None:
    # a reply waits on this before it is sent: what the user saw is on disk even after SIGKILL
    log = new_log(open_log, db)
    log.record(miss("сколько стоит билет в цирк?"))
    log.written().result(timeout=5)
    assert [m.text for m in read(db)] == ["сколько стоит билет в цирк?"]
    log.close()
    assert log.written().done()  # nothing left to write: no wait at all
