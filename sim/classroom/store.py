"""The class's submissions in SQLite: one file, ``class.sqlite3``, in the folder given by ``--data``.

SQLite because a lesson's record must survive a restart of the server, thirty
groups write within seconds of each other (WAL mode lets the board read while a
group writes), and a teacher can open the file with any tool afterwards. Every
call opens its own connection, so the store is safe to share between the
server's threads; :meth:`ClassStore.version` rises with every change, so a page
can poll one integer to know when to redraw.

A submission is *queued* when stored, then *done* (its digest recorded by the
runner, :mod:`sim.classroom.runner`) or *failed* (with the message). It is hidden
from other groups until the teacher reveals it; a group always sees its own.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

FILE_NAME = "class.sqlite3"
#: Join codes avoid letters and digits a room confuses when read aloud or from a projector (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
Status = Literal["queued", "done", "failed"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grp TEXT NOT NULL,
    prediction TEXT NOT NULL,
    explanation TEXT NOT NULL,
    scenario_toml TEXT NOT NULL,
    title TEXT NOT NULL,
    seed INTEGER NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    message TEXT NOT NULL DEFAULT '',
    digest TEXT,
    revealed INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True)
class Submission:
    """One group's what-if as stored.

    Attributes:
        id: Its number in the class, from 1.
        group: The group's name as typed.
        prediction: What the group predicted before running it.
        explanation: The group's one-line explanation.
        scenario_toml: The scenario file, as ``python -m sim run`` reads it.
        title: The scenario's title.
        seed: The seed it runs with.
        source: ``"dashboard"`` or ``"notebook"``.
        created: When it was stored (UTC, ISO 8601).
        status: ``"queued"``, ``"done"`` or ``"failed"``.
        message: Why it failed, if it did.
        digest: The board's digest (:func:`sim.classroom.digest.digest`), once done.
        revealed: Whether every group sees it.
        pinned: Whether the board keeps it at the top and drawn thick.
    """

    id: int
    group: str
    prediction: str
    explanation: str
    scenario_toml: str
    title: str
    seed: int
    source: str
    created: str
    status: Status
    message: str = ""
    digest: dict[str, Any] | None = field(default=None, compare=False)
    revealed: bool = False
    pinned: bool = False


class ClassStore:
    """The submissions of one class, kept in ``directory/class.sqlite3``.

    Args:
        directory: The folder (``--data``); created if missing.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / FILE_NAME
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.executescript(SCHEMA)
        finally:
            db.close()
        with self._connect() as db:
            for key, make in (("code", _new_code), ("token", _new_token), ("version", lambda: "0")):
                db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (key, make()))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    def _meta(self, key: str) -> str:
        with self._connect() as db:
            return str(db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")

    @property
    def code(self) -> str:
        """The join code students type (kept across restarts)."""
        return self._meta("code")

    @property
    def token(self) -> str:
        """The teacher's token (kept across restarts; printed at start)."""
        return self._meta("token")

    def version(self) -> int:
        """A number that rises with every change to the submissions."""
        return int(self._meta("version"))

    def add(
        self,
        group: str,
        prediction: str,
        explanation: str,
        scenario_toml: str,
        *,
        title: str,
        seed: int,
        source: str = "dashboard",
    ) -> int:
        """Store a validated submission as queued (see :mod:`sim.classroom.submission`); return its id."""
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            cursor = db.execute(
                "INSERT INTO submissions (grp, prediction, explanation, scenario_toml, title, seed, source, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (group, prediction, explanation, scenario_toml, title, seed, source, created),
            )
            self._bump(db)
            return int(cursor.lastrowid or 0)

    def finish(self, submission_id: int, digest: dict[str, Any]) -> None:
        """Record the digest of a submission's run: it is done."""
        self._update(submission_id, status="done", digest=json.dumps(digest), message="")

    def fail(self, submission_id: int, message: str) -> None:
        """Record that a submission's run failed, with the message shown to its group and the teacher."""
        self._update(submission_id, status="failed", message=message)

    def reveal(self, submission_id: int, revealed: bool = True) -> None:
        """Show a submission to every group (or hide it again with ``revealed=False``)."""
        self._update(submission_id, revealed=int(revealed))

    def pin(self, submission_id: int, pinned: bool = True) -> None:
        """Keep a submission at the top of the board (or unpin it)."""
        self._update(submission_id, pinned=int(pinned))

    def reveal_all(self, revealed: bool = True) -> None:
        """Reveal (or hide) every submission."""
        with self._connect() as db:
            db.execute("UPDATE submissions SET revealed = ?", (int(revealed),))
            self._bump(db)

    def delete(self, submission_id: int) -> None:
        """Remove a submission for good."""
        with self._connect() as db:
            db.execute("DELETE FROM submissions WHERE id = ?", (submission_id,))
            self._bump(db)

    def _update(self, submission_id: int, **values: Any) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)
        with self._connect() as db:
            db.execute(f"UPDATE submissions SET {columns} WHERE id = ?", (*values.values(), submission_id))
            self._bump(db)

    def get(self, submission_id: int) -> Submission | None:
        """One submission, or None if there is none with that id."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return None if row is None else _submission(row)

    def submissions(self, *, teacher: bool = False, group: str | None = None) -> list[Submission]:
        """What a viewer may see, pinned first, then in the order submitted.

        Args:
            teacher: The teacher sees everything.
            group: A group sees its own submissions and the revealed ones; with neither
                ``teacher`` nor ``group``, only the revealed ones (the projected board).
        """
        query = "SELECT * FROM submissions"
        args: tuple[Any, ...] = ()
        if not teacher:
            query += " WHERE revealed = 1 OR grp = ?"
            args = (group if group is not None else "\0",)  # no group is named NUL
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY pinned DESC, id", args).fetchall()
        return [_submission(row) for row in rows]

    def queued(self) -> list[int]:
        """The ids of the submissions not yet run, oldest first."""
        with self._connect() as db:
            return [row[0] for row in db.execute("SELECT id FROM submissions WHERE status = 'queued' ORDER BY id")]


def _submission(row: tuple[Any, ...]) -> Submission:
    (id_, group, prediction, explanation, toml, title, seed, source, created, status, message, digest) = row[:12]
    revealed, pinned = row[12:]
    return Submission(
        id=id_,
        group=group,
        prediction=prediction,
        explanation=explanation,
        scenario_toml=toml,
        title=title,
        seed=seed,
        source=source,
        created=created,
        status=status,
        message=message,
        digest=json.loads(digest) if digest else None,
        revealed=bool(revealed),
        pinned=bool(pinned),
    )


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _new_token() -> str:
    return secrets.token_urlsafe(16)
