"""The misses log in SQLite, for a curator: one file per bot in DATA_DIR.

`MissLog.record` only puts the miss on a queue: a thread of its own writes it, so a slow or
full disk never delays a reply. That thread commits what it takes at once (WAL journal,
synchronous=NORMAL: a commit survives the process being killed), so a crash loses at most
what was still queued, a few milliseconds' worth. No user id is ever stored; the question
text only when the log is told to keep it.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

from bot.misses.record import NONE_OF_THESE, Miss
from bot.misses.writer import MissWriter, misses_in

log = logging.getLogger(__name__)

DB_NAME = "misses.sqlite3"
SCHEMA_VERSION = 1
PURGE_EVERY = 24 * 3600.0  # seconds between retention purges while running
DAY = 86400.0

# The schema's version is SQLite's own user_version header field (0 in a new file).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS misses (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    lang TEXT NOT NULL,
    kind TEXT NOT NULL,
    intent TEXT,
    score REAL NOT NULL,
    text TEXT,
    key TEXT
);
CREATE INDEX IF NOT EXISTS misses_ts ON misses (ts);
CREATE INDEX IF NOT EXISTS misses_key ON misses (key);
"""
_COLUMNS = "ts, lang, kind, intent, score, text, key"


def misses_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


class MissLog(MissWriter):
    """Appends misses to the SQLite file at `path` from a writer thread of its own.

    `retention_days` > 0 deletes older rows at open and once a day; 0 keeps them forever.
    `keep_text=False` stores every question's text as NULL.
    """

    thread_name = "misses-writer"

    def __init__(self, path: Path, retention_days: int = 30, *, keep_text: bool = True) -> None:
        super().__init__(keep_text=keep_text)
        self.path = Path(path)
        self.retention_days = retention_days
        self._start()

    def _run(self) -> None:
        try:
            conn = self._open()
        except (OSError, sqlite3.Error) as exc:
            log.error("misses log: cannot open %s (%s); misses are not recorded", self.path, exc)
            return
        try:
            self._loop(conn)
        finally:
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as exc:
                log.warning("misses log: checkpoint failed (%s)", exc)
            conn.close()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10.0)
        try:
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode != "wal":
                raise sqlite3.OperationalError(f"journal_mode is {mode}, not wal")
            conn.execute("PRAGMA synchronous=NORMAL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.OperationalError(f"schema {version} is newer than this bot's")
            if version < SCHEMA_VERSION:  # tables and version in one transaction
                conn.executescript(
                    f"BEGIN; {_SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
                )
            self._purge(conn)
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def _loop(self, conn: sqlite3.Connection) -> None:
        """Write what comes; apply the retention once a day, busy or quiet."""
        next_purge = time.monotonic() + PURGE_EVERY
        while (batch := self._next_batch(next_purge - time.monotonic())) is not None:
            if batch:
                self._write(conn, misses_in(batch))
                self._settle(batch)
            if time.monotonic() >= next_purge:
                self._purge(conn)
                next_purge = time.monotonic() + PURGE_EVERY

    def _write(self, conn: sqlite3.Connection, misses: list[Miss]) -> None:
        if not misses:
            return
        try:
            with conn:  # one transaction, committed on leaving the block
                for miss in misses:
                    self._insert(conn, miss)
        except sqlite3.Error as exc:
            self.dropped += len(misses)
            log.error("misses log: %d record(s) lost (%s)", len(misses), exc)

    def _insert(self, conn: sqlite3.Connection, miss: Miss) -> None:
        if miss.kind == NONE_OF_THESE:
            miss = self._rejection(conn, miss)
            if miss.key is None:
                return
        conn.execute(
            f"INSERT INTO misses ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (miss.ts, miss.lang, miss.kind, miss.intent, miss.score, miss.text, miss.key),
        )

    def _rejection(self, conn: sqlite3.Connection, press: Miss) -> Miss:
        """A "none of these" press takes the question it rejects from that question's row.

        The button carries only the row's key (callback data is 64 bytes), so the text, the
        nearest intent and the score come from the database; a second press is not counted
        (returned with key None). An unknown key (purged, or lost in a crash) is kept bare.
        """
        if press.key is None:
            return press
        seen = conn.execute(
            "SELECT 1 FROM misses WHERE key = ? AND kind = ?", (press.key, NONE_OF_THESE)
        ).fetchone()
        if seen:
            return replace(press, key=None)
        row = conn.execute(
            "SELECT lang, intent, score, text FROM misses WHERE key = ? ORDER BY id LIMIT 1",
            (press.key,),
        ).fetchone()
        if row is None:
            return press
        lang, intent, score, text = row
        text = text if self.keep_text else None
        return replace(press, lang=lang, intent=intent, score=score, text=text)

    def _purge(self, conn: sqlite3.Connection) -> None:
        if self.retention_days <= 0:
            return
        cutoff = time.time() - self.retention_days * DAY
        try:
            with conn:
                gone = conn.execute("DELETE FROM misses WHERE ts < ?", (cutoff,)).rowcount
        except sqlite3.Error as exc:
            log.warning("misses log: purge failed (%s)", exc)
            return
        if gone:
            log.info(
                "misses log: %d record(s) older than %d days removed", gone, self.retention_days
            )


def read(path: Path, since: float | None = None) -> list[Miss]:
    """Every miss at or after `since` (Unix time), oldest first; [] when there is no log.

    Opens the file read-only, so it is safe while the bot is writing to it.
    """
    path = Path(path)
    if not path.is_file():
        return []
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] < 1:
            return []
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM misses WHERE ts >= ? ORDER BY ts, id", (since or 0.0,)
        ).fetchall()
    finally:
        conn.close()
    return [Miss(*row) for row in rows]
