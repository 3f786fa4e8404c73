"""Who may do what on the class board: the join code, the teacher's token, and a limit on wrong guesses.

Students need the join code; the teacher's actions need the token printed at start.
A wrong code or token is refused with the same line whatever was typed (nothing
says how near it was), compared in constant time; after :data:`MAX_WRONG` wrong
ones within :data:`WINDOW_S` seconds from one address or one browser session,
that one is refused for the rest of the window, so guessing the code (31**6, about
900 million, codes) is hopeless. A class behind one address (a JupyterHub, a
school's proxy) still has room for :data:`MAX_WRONG` typos a minute.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from sim.errors import InputError

#: Wrong codes or tokens one address or session may send within :data:`WINDOW_S` seconds.
MAX_WRONG = 20
WINDOW_S = 60.0
#: Addresses and sessions remembered at once (the oldest forgotten first), so the memory stays bounded.
REMEMBERED = 10_000

WRONG_CODE = "join code: not this class's code; ask your teacher for the code on the board"
WRONG_TOKEN = "teacher's token: not this board's token; use the teacher's address printed when the board started"
TOO_MANY = "too many wrong codes from here; wait a minute and try again"


class Refused(InputError):
    """A request the board turns down, with the HTTP status its API answers with.

    Attributes:
        status: 403 (wrong code or token, not allowed), 429 (too many tries, or the queue is full), 400 (bad input).
    """

    def __init__(self, message: str, status: int = 403) -> None:
        self.status = status
        super().__init__(message)


def normal_code(text: object) -> str:
    """A join code as typed, in the form it is kept: capitals, no spaces or dashes (``abc-123`` is ``ABC123``)."""
    return "".join(ch for ch in text.upper() if ch.isalnum()) if isinstance(text, str) else ""


def same(given: str, kept: str) -> bool:
    """Whether two secrets are equal, in time that does not depend on where they differ."""
    return secrets.compare_digest(given.encode("utf-8", "surrogatepass"), kept.encode("utf-8"))


class Attempts:
    """Wrong codes or tokens by who sent them; one with :data:`MAX_WRONG` in the last :data:`WINDOW_S` s waits.

    Thread-safe: the page's sessions and the HTTP handlers share one.
    """

    def __init__(
        self, limit: int = MAX_WRONG, window: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._wrong: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _recent(self, who: str) -> deque[float]:
        times = self._wrong.setdefault(who, deque())
        self._wrong.move_to_end(who)
        while times and times[0] <= self.clock() - self.window:
            times.popleft()
        while len(self._wrong) > REMEMBERED:
            self._wrong.popitem(last=False)
        return times

    def check(self, who: str) -> None:
        """Refuse ``who`` if it has sent too many wrong ones lately.

        Raises:
            Refused: With status 429.
        """
        with self._lock:
            if len(self._recent(who)) >= self.limit:
                raise Refused(TOO_MANY, 429)

    def wrong(self, who: str) -> None:
        """Count a wrong code or token from ``who``."""
        with self._lock:
            self._recent(who).append(self.clock())
