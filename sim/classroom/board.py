"""The class board's operations, each checking who asks: join, submit, see, and the teacher's actions.

The board's page (:mod:`sim.classroom.app`) and its HTTP API (:mod:`sim.classroom.api`)
both call these, so a refusal reads the same from a browser and from a notebook.
A group is a browser session that gave the join code and a name (its *owner* key, a
hash of the session's cookie, is never shown); the teacher is whoever gave the
token, and the teacher's actions take the :class:`Teacher` that :meth:`Board.teacher`
returns, so no code path reaches them without the token.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.classroom.access import WRONG_CODE, WRONG_TOKEN, Attempts, Refused, normal_code, same
from sim.classroom.store import ClassStore, Submission
from sim.classroom.submission import MAX_GROUP, check_submission, one_line
from sim.errors import TooLargeError

if TYPE_CHECKING:
    from sim.classroom.runner import Runner


@dataclass(frozen=True)
class Teacher:
    """Proof, kept in the teacher's session on the server, that the teacher's token was given."""

    board_token_hash: str


def owner_key(session: str) -> str:
    """The key a browser session's submissions are kept under: a hash, so the store holds no cookie."""
    return hashlib.sha256(f"ziliao-class:{session}".encode()).hexdigest()[:32]


class Board:
    """One class's board: its store, its runner and the count of wrong codes.

    Args:
        store: The class's submissions.
        runner: What runs them (None: nothing is run, e.g. in tests of the checks).

    Attributes:
        code: The join code.
        address: The address students open (set by the server).
    """

    def __init__(self, store: ClassStore, runner: Runner | None = None) -> None:
        self.store = store
        self.runner = runner
        self.attempts = Attempts()
        self.code = store.code
        self.address = ""
        self._token = store.token
        self._teachers: set[str] = set()

    def admit(self, code: object, *, who: str) -> None:
        """Let ``who`` (an address or a session) in with ``code``.

        Raises:
            Refused: 403 for a wrong code, 429 after too many.
        """
        self.attempts.check(who)
        if not same(normal_code(code), self.code):
            self.attempts.wrong(who)
            raise Refused(WRONG_CODE)

    def join(self, code: object, group: object, *, who: str, owner: str) -> str:
        """Admit a browser session with ``code`` as the group ``group``; return the name as kept.

        Raises:
            Refused: For a wrong code, or a group name that is not one line of 1 to 40 characters.
        """
        self.admit(code, who=who)
        name, problem = one_line("group", group, MAX_GROUP)
        if problem:
            raise Refused(problem, 400)
        self.store.join(owner, name)
        return name

    def member(self, owner: str) -> str | None:
        """The group of a session that joined before (this server or an earlier one), or None."""
        return self.store.member(owner)

    def submit(
        self,
        *,
        code: object,
        group: object,
        prediction: object,
        explanation: object,
        scenario_toml: object,
        who: str,
        source: str = "notebook",
    ) -> int:
        """Check and store a what-if sent with the join code (a notebook's way); return its number.

        Raises:
            Refused: A wrong code (403), too many tries (429), a class, group or queue at its limit (429).
            ScenarioError: The submission's problems, one line each, as the command line words them.
        """
        self.admit(code, who=who)
        return self._store(group, prediction, explanation, scenario_toml, owner="", source=source)

    def hand_in(self, owner: str, prediction: object, explanation: object, scenario_toml: object) -> int:
        """Check and store a what-if from the page of a session that joined, under its group; return its number.

        Raises:
            Refused: If the session has not joined, or the class, group or queue is at its limit.
            ScenarioError: The submission's problems, one line each.
        """
        group = self.member(owner)
        if group is None:
            raise Refused("join the class first: give the join code and your group's name")
        return self._store(group, prediction, explanation, scenario_toml, owner=owner, source="board")

    def _store(
        self, group: object, prediction: object, explanation: object, scenario_toml: object, *, owner: str, source: str
    ) -> int:
        checked = check_submission(group, prediction, explanation, scenario_toml)
        try:
            number = checked.add_to(self.store, owner=owner, source=source)
        except TooLargeError as exc:
            raise Refused(str(exc), 429) from None
        if self.runner is not None:
            self.runner.wake()
        return number

    def teacher(self, token: object, *, who: str) -> Teacher:
        """The teacher's proof, for the right token.

        Raises:
            Refused: 403 for a wrong token, 429 after too many.
        """
        self.attempts.check(who)
        if not isinstance(token, str) or not same(token.strip(), self._token):
            self.attempts.wrong(who)
            raise Refused(WRONG_TOKEN)
        self._teachers.add(who)
        return Teacher(self.teacher_hash)

    def teacher_again(self, who: str) -> Teacher | None:
        """The teacher's proof for a session that gave the token before, on this server (a page reloaded), or None."""
        return Teacher(self.teacher_hash) if who in self._teachers else None

    def _check(self, teacher: Teacher) -> None:
        if not (isinstance(teacher, Teacher) and teacher.board_token_hash == self.teacher_hash):
            raise Refused(WRONG_TOKEN)

    @property
    def teacher_hash(self) -> str:
        """The hash a :class:`Teacher` of this board carries."""
        return hashlib.sha256(self._token.encode()).hexdigest()

    def visible(self, viewer: Teacher | str | None) -> list[Submission]:
        """What ``viewer`` sees: the teacher everything; a group (its owner key) its own and the revealed ones."""
        if isinstance(viewer, Teacher):
            self._check(viewer)
            return self.store.submissions(teacher=True)
        return self.store.submissions(owner=viewer)

    def reveal(self, teacher: Teacher, submission_id: int, revealed: bool = True) -> None:
        """Show one submission to every group (or hide it)."""
        self._check(teacher)
        self.store.reveal(submission_id, revealed)

    def reveal_all(self, teacher: Teacher, revealed: bool = True) -> None:
        """Show every submission to every group (or hide them all)."""
        self._check(teacher)
        self.store.reveal_all(revealed)

    def pin(self, teacher: Teacher, submission_id: int, pinned: bool = True) -> None:
        """Keep a submission at the top of the board, drawn thick (or unpin it)."""
        self._check(teacher)
        self.store.pin(submission_id, pinned)

    def delete(self, teacher: Teacher, submission_id: int) -> None:
        """Remove a submission for good."""
        self._check(teacher)
        self.store.delete(submission_id)


_serving: Board | None = None


def serve(board: Board) -> None:
    """Make ``board`` the one this process's pages show (the server calls it once, at start)."""
    global _serving
    _serving = board


def current() -> Board:
    """The board this process serves.

    Raises:
        RuntimeError: If none is being served (the page was loaded outside ``python -m sim class``).
    """
    if _serving is None:
        raise RuntimeError("no class board is being served here; start one with `python -m sim class`")
    return _serving
