"""The class's submissions in SQLite: one file, ``class.sqlite3``, in the folder given by ``--data``.

SQLite because a lesson's record must survive a restart of the server, thirty
groups write within seconds of each other (WAL mode: pages read while a group
writes), and a teacher can open the file with any tool afterwards. Every call
opens its own connection, so the store is safe to share between the server's
threads; a write takes the lock for its whole transaction (``BEGIN IMMEDIATE``),
so the limits checked in :meth:`ClassStore.add` hold under concurrent writers.
:meth:`ClassStore.version` rises with every change, so a page polls one integer
to know when to read again.

A submission is *queued* when stored, then *done* (its digest recorded by the
runner, :mod:`sim.classroom.runner`) or *failed* (with the message); one queued
when the server stopped is run when it starts again. It is hidden from the other
groups until the teacher reveals it; its own group (the browser session that sent
it, :attr:`Submission.owner`) always sees it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sim.errors import InputError, StoreError, TooLargeError
from sim.limits import CLASS_QUEUE, CLASS_SUBMISSIONS, GROUP_SUBMISSIONS

FILE_NAME = "class.sqlite3"
LOCK_NAME = "class.lock"
#: Join codes avoid letters and digits a room confuses when read aloud or from a projector (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The layout of the tables (``PRAGMA user_version``); a store of another layout is refused, not guessed at.
SCHEMA_VERSION = 1
Status = Literal["queued", "done", "failed"]

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE members (owner TEXT PRIMARY KEY, grp TEXT NOT NULL, joined TEXT NOT NULL);
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grp TEXT NOT NULL,
    owner TEXT NOT NULL,
    prediction TEXT NOT NULL,
    explanation TEXT NOT NULL,
    scenario_toml TEXT NOT NULL,
    title TEXT NOT NULL,
    changes TEXT NOT NULL,
    seed INTEGER NOT NULL,
    source TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued',
    message TEXT NOT NULL DEFAULT '',
    digest TEXT,
    revealed INTEGER NOT NULL DEFAULT 0,
    pinned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_status ON submissions (status);
"""


class BusyError(InputError):
    """Another class board serves the same ``--data`` folder."""


@dataclass(frozen=True)
class Submission:
    """One group's what-if as stored.

    Attributes:
        id: Its number in the class, from 1.
        group: The group's name as typed.
        owner: Who sent it: a key of the browser session (never shown), or ``""`` from a notebook.
        prediction: What the group predicted before running it.
        explanation: The group's one-line explanation.
        scenario_toml: The scenario file, as ``python -m sim run`` reads it.
        title: The scenario's title.
        changes: What it changes from the library scenario it starts from, in one line.
        seed: The seed it runs with.
        source: ``"board"`` (the board's page) or ``"notebook"`` (:func:`sim.teaching.share`).
        created: When it was stored (UTC, ISO 8601).
        status: ``"queued"``, ``"done"`` or ``"failed"``.
        message: Why it failed, if it did.
        digest: The board's digest (:func:`sim.classroom.digest.digest`), once done.
        revealed: Whether every group sees it.
        pinned: Whether the board keeps it at the top and drawn thick.
    """

    id: int
    group: str
    owner: str
    prediction: str
    explanation: str
    scenario_toml: str
    title: str
    changes: str
    seed: int
    source: str
    created: str
    status: Status
    message: str = ""
    digest: dict[str, Any] | None = None
    revealed: bool = False
    pinned: bool = False


class ClassStore:
    """The submissions of one class, kept in ``directory/class.sqlite3``.

    Args:
        directory: The folder (``--data``); created if missing.
        create: Whether to make a new store there if there is none (``class export`` reads only).

    Raises:
        StoreError: If the folder cannot hold a store, or its file is not a class board's store.
    """

    def __init__(self, directory: str | Path, *, create: bool = True) -> None:
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        if self.directory.exists() and not self.directory.is_dir():
            raise StoreError(f"--data {self.directory}: not a folder; give a folder for the class's store")
        if not create and not self.path.is_file():
            raise StoreError(f"--data {self.directory}: no class board's store here ({FILE_NAME} is missing)")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._open()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a class board's store ({exc})") from None
        except OSError as exc:
            raise StoreError(f"--data {self.directory}: cannot hold the class's store ({exc.strerror})") from None

    def _open(self) -> None:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
            db.execute("BEGIN IMMEDIATE")
            layout = db.execute("PRAGMA user_version").fetchone()[0]
            if layout == 0 and not db.execute("SELECT 1 FROM sqlite_master").fetchone():
                for statement in SCHEMA.split(";"):  # not executescript, which would end the transaction
                    if statement.strip():
                        db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                for key, value in (("code", _new_code()), ("token", _new_token()), ("version", "0")):
                    db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
            elif layout != SCHEMA_VERSION:
                db.execute("ROLLBACK")
                raise StoreError(
                    f"{self.path}: a store of layout {layout}; this version of Ziliao reads layout {SCHEMA_VERSION}"
                )
            db.execute("COMMIT")
        finally:
            db.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        try:
            yield db
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A transaction that holds the write lock from its start, bumping :meth:`version` on success."""
        with self._read() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _meta(self, key: str) -> str:
        with self._read() as db:
            return str(db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])

    @property
    def code(self) -> str:
        """The join code students type (kept across restarts)."""
        return self._meta("code")

    @property
    def token(self) -> str:
        """The teacher's token (kept across restarts; printed at start)."""
        return self._meta("token")

    def version(self) -> int:
        """A number that rises with every change to the submissions or the members."""
        return int(self._meta("version"))

    def join(self, owner: str, group: str) -> None:
        """Record that the browser session ``owner`` belongs to ``group`` (a new name replaces the old)."""
        joined = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._write() as db:
            db.execute(
                "INSERT INTO members (owner, grp, joined) VALUES (?, ?, ?)"
                " ON CONFLICT (owner) DO UPDATE SET grp = excluded.grp",
                (owner, group, joined),
            )

    def member(self, owner: str) -> str | None:
        """The group the session ``owner`` joined, or None."""
        with self._read() as db:
            row = db.execute("SELECT grp FROM members WHERE owner = ?", (owner,)).fetchone()
        return None if row is None else str(row[0])

    def add(
        self,
        group: str,
        prediction: str,
        explanation: str,
        scenario_toml: str,
        *,
        title: str,
        changes: str = "",
        seed: int,
        owner: str = "",
        source: str = "board",
    ) -> int:
        """Store a checked submission (:mod:`sim.classroom.submission`) as queued; return its id.

        Raises:
            TooLargeError: If the class, the group or the queue is at its limit (:mod:`sim.limits`).
        """
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._write() as db:
            total, queued, mine = db.execute(
                "SELECT COUNT(*), COALESCE(SUM(status = 'queued'), 0), COALESCE(SUM(grp = ? COLLATE NOCASE), 0)"
                " FROM submissions",
                (group,),
            ).fetchone()
            if total >= CLASS_SUBMISSIONS:
                raise TooLargeError(
                    f"the class has {total} submissions, the most one board keeps ({CLASS_SUBMISSIONS}); "
                    "ask your teacher to delete some"
                )
            if mine >= GROUP_SUBMISSIONS:
                raise TooLargeError(
                    f"group {group!r} has sent {mine} what-ifs, the most for one group ({GROUP_SUBMISSIONS}); "
                    "ask your teacher to delete one"
                )
            if queued >= CLASS_QUEUE:
                raise TooLargeError(
                    f"{queued} runs are waiting, the most the board queues ({CLASS_QUEUE}); send it again in a minute"
                )
            cursor = db.execute(
                "INSERT INTO submissions (grp, owner, prediction, explanation, scenario_toml, title, changes, seed,"
                " source, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (group, owner, prediction, explanation, scenario_toml, title, changes, seed, source, created),
            )
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
        with self._write() as db:
            db.execute("UPDATE submissions SET revealed = ?", (int(revealed),))

    def delete(self, submission_id: int) -> None:
        """Remove a submission for good."""
        with self._write() as db:
            db.execute("DELETE FROM submissions WHERE id = ?", (submission_id,))

    def _update(self, submission_id: int, **values: Any) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)  # names from this module only, never from input
        with self._write() as db:
            db.execute(f"UPDATE submissions SET {columns} WHERE id = ?", (*values.values(), submission_id))

    def get(self, submission_id: int) -> Submission | None:
        """One submission, or None if there is none with that id."""
        with self._read() as db:
            row = db.execute("SELECT * FROM submissions WHERE id = ?", (submission_id,)).fetchone()
        return None if row is None else _submission(row)

    def submissions(self, *, teacher: bool = False, owner: str | None = None) -> list[Submission]:
        """What a viewer may see, pinned first, then in the order submitted.

        Args:
            teacher: The teacher sees everything.
            owner: A group's browser session sees its own submissions and the revealed ones;
                with neither ``teacher`` nor ``owner``, only the revealed ones.
        """
        query, args = "SELECT * FROM submissions", tuple[str, ...]()
        if not teacher:
            query, args = query + " WHERE revealed = 1 OR (owner = ? AND owner != '')", (owner or "",)
        with self._read() as db:
            rows = db.execute(query + " ORDER BY pinned DESC, id", args).fetchall()
        return [_submission(row) for row in rows]

    def queued(self) -> list[int]:
        """The ids of the submissions not yet run, oldest first."""
        with self._read() as db:
            return [row[0] for row in db.execute("SELECT id FROM submissions WHERE status = 'queued' ORDER BY id")]


def _submission(row: sqlite3.Row) -> Submission:
    values = dict(row)
    values["group"] = values.pop("grp")
    values["digest"] = json.loads(values["digest"]) if values["digest"] else None
    values["revealed"], values["pinned"] = bool(values["revealed"]), bool(values["pinned"])
    return Submission(**values)


@contextmanager
def serving(directory: str | Path) -> Iterator[None]:
    """Hold the folder's lock while a board serves it: a second board on the same ``--data`` is refused.

    Raises:
        BusyError: If another process holds it.
    """
    path = Path(directory) / LOCK_NAME
    with open(path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BusyError(
                f"--data {directory}: a class board is already serving this folder; stop it or choose another --data"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"{os.getpid()}\n")
        lock.flush()
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _new_token() -> str:
    return secrets.token_urlsafe(16)
