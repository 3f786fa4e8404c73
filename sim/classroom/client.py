"""Hand a what-if in to the class board from a notebook: :func:`share` (also :func:`sim.teaching.share`).

The standard library only (``urllib``): a notebook needs nothing beyond Ziliao
itself. :func:`share` prints one line, whatever happens: the number the board gave
the submission, the board's refusal in its own words, or that the board could not
be reached. A student's mistake never ends in a traceback.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.scenario import Scenario

#: Where ``python -m sim class`` serves by default.
DEFAULT_BOARD = "http://127.0.0.1:8766"
#: The board's route for submissions (:mod:`sim.classroom.api`).
PATH = "/api/class/submit"
#: Seconds to wait for the board's answer (it checks the file; it does not run it before answering).
TIMEOUT_S = 30


def scenario_text(scenario: Scenario | str | Path) -> str:
    """The text of the scenario file to send: a Scenario written out in full, a file's text, or the text given.

    A string with a newline or an ``=`` is the text of a file; any other string names a
    library scenario or a file.

    Raises:
        OSError: A file that cannot be read.
        ScenarioError: A name that is neither a library scenario nor a file.
    """
    from sim.dashboard.files import scenario_toml
    from sim.scenario import Scenario, library, load_scenario

    if isinstance(scenario, Scenario):
        return scenario_toml(scenario, "Handed in from a notebook with sim.teaching.share")
    if isinstance(scenario, str) and ("\n" in scenario or "=" in scenario):
        return scenario
    if isinstance(scenario, str) and scenario in library():
        return scenario_toml(load_scenario(scenario), f"The library's {scenario}, handed in with sim.teaching.share")
    return Path(scenario).read_text(encoding="utf-8")


def _post(board: str, payload: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """POST ``payload`` as JSON to the board's API: the status and the JSON answer."""
    request = urllib.request.Request(
        board.rstrip("/") + PATH,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:  # the board answered with a refusal
        with exc:
            try:
                return exc.code, json.loads(exc.read().decode("utf-8"))
            except ValueError:
                return exc.code, {"error": f"the board answered {exc.code} {exc.reason}"}


def share(
    scenario: Scenario | str | Path,
    *,
    group: str,
    prediction: str,
    explanation: str,
    board: str = DEFAULT_BOARD,
    code: str,
) -> int | None:
    """Hand a what-if in to the class board; print one line saying what became of it.

    Args:
        scenario: A :class:`~sim.scenario.Scenario` (its seed goes with it), a scenario
            file's path, its text, or a library scenario's name.
        group: Your group's name, as on the board.
        prediction: What you expect the run to show, before you see it.
        explanation: Why, in one line.
        board: The board's address, as your teacher gives it (``http://HOST:PORT``).
        code: The join code on the board.

    Returns:
        The submission's number on the board, or None if it was not handed in.
    """
    try:
        number, line = _share(scenario, group, prediction, explanation, board, code)
    except Exception as exc:  # never a traceback for a student's mistake
        number, line = None, f"Not handed in: {type(exc).__name__}: {exc}"
    print(line)
    return number


def _share(
    scenario: Scenario | str | Path, group: str, prediction: str, explanation: str, board: str, code: str
) -> tuple[int | None, str]:
    from sim.errors import ScenarioError

    address = urllib.parse.urlsplit(board if isinstance(board, str) else "")
    if address.scheme not in {"http", "https"} or not address.netloc:
        return (
            None,
            f"Not handed in: board={board!r} is not an address; give it as your teacher wrote it ({DEFAULT_BOARD})",
        )
    try:
        text = scenario_text(scenario)
    except (OSError, ScenarioError) as exc:
        return None, f"Not handed in: the scenario could not be read: {exc}"
    payload = {"code": code, "group": group, "prediction": prediction, "explanation": explanation, "scenario": text}
    try:
        status, answer = _post(board, payload)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return (
            None,
            f"Not handed in: no class board answered at {board} ({reason}); is it running, is the address right?",
        )
    if status == 201 and isinstance(answer.get("id"), int):
        number = int(answer["id"])
        return number, f"Handed in as number {number}: the board runs it, and shows it to the class when revealed."
    problems = answer.get("problems") or [answer.get("error", f"the board answered {status}")]
    return None, "Not handed in: " + "; ".join(str(p) for p in problems)
