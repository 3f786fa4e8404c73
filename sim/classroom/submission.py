"""A submission checked before it is stored: a group name, a prediction, an explanation and a scenario file.

The scenario file is checked by :func:`sim.dashboard.files.read_uploaded`, so a
student gets the same messages as the command line and the dashboard's upload,
it may extend only the library's scenarios (nothing a student sends names a file
on the server), it is at most :data:`sim.dashboard.files.MAX_UPLOAD` bytes, and its
run must fit a dashboard session's memory. The board's page and the notebooks'
:func:`sim.teaching.share` both come through :func:`check_submission`.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.dashboard.files import read_uploaded
from sim.errors import ScenarioError
from sim.scenario import Scenario, library, load_scenario

if TYPE_CHECKING:
    from sim.classroom.store import ClassStore

MAX_GROUP = 40
MAX_TEXT = 300
#: The name the messages give a submitted scenario file.
ORIGIN = "submission.toml"
#: Characters refused in a name or a line: controls, private use, and format characters other than
#: the joiners some scripts need (a right-to-left override would make the board lie about who wrote what).
REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}
JOINERS = {"\u200c", "\u200d"}


@dataclass(frozen=True)
class Checked:
    """A submission that may be stored.

    Attributes:
        group: The group's name, one line.
        prediction: The prediction, one line.
        explanation: The explanation, one line.
        scenario_toml: The scenario file as sent.
        scenario: The scenario it describes.
        changes: What it changes from the library scenario it starts from (:func:`changes`).
    """

    group: str
    prediction: str
    explanation: str
    scenario_toml: str
    scenario: Scenario
    changes: str

    def add_to(self, store: ClassStore, *, owner: str = "", source: str = "board") -> int:
        """Store this submission in ``store`` as queued (:meth:`ClassStore.add`); return its id.

        Raises:
            TooLargeError: If the class, the group or the queue is at its limit.
        """
        return store.add(
            self.group,
            self.prediction,
            self.explanation,
            self.scenario_toml,
            title=self.scenario.title,
            changes=self.changes,
            seed=self.scenario.seed,
            owner=owner,
            source=source,
        )


def one_line(name: str, value: object, limit: int) -> tuple[str, str | None]:
    """``value`` as one line of 1 to ``limit`` characters, or a message saying why it cannot be."""
    if not isinstance(value, str):
        return "", f"{name}: {type(value).__name__} given; allowed: text of 1 to {limit} characters"
    text = " ".join(value.split())  # newlines and runs of spaces become one space
    if any(unicodedata.category(ch) in REFUSED_CATEGORIES and ch not in JOINERS for ch in text):
        return "", f"{name}: {value[:40]!r} has control characters; allowed: printable text"
    if not text:
        return "", f"{name}: empty; allowed: text of 1 to {limit} characters"
    if len(text) > limit:
        return "", f"{name}: {len(text)} characters; allowed: at most {limit}"
    return text, None


def base_name(scenario: Scenario, text: str) -> str:
    """The library scenario a submission starts from: the one it extends, or is named, else the baseline."""
    try:
        extends = tomllib.loads(text.removeprefix("\ufeff")).get("extends")
    except tomllib.TOMLDecodeError:
        extends = None
    for name in (extends, scenario.name):
        if isinstance(name, str) and name in library():
            return name
    return "baseline_1952"


def changes(scenario: Scenario, name: str) -> str:
    """What ``scenario`` changes from the library scenario ``name``, in one line."""
    from sim.dashboard.app import what_changed

    base = load_scenario(name)
    parts = [what_changed(base, scenario, scenario.seed)] if base != scenario else []
    if scenario.events != base.events:
        parts.append("dated events changed")
    found = "; ".join(part for part in parts if part)
    return f"{name}: {found}" if found else f"{name} as it is"


def check_submission(group: object, prediction: object, explanation: object, scenario_toml: object) -> Checked:
    """Check what a group sends, every problem at once.

    Raises:
        ScenarioError: One line per problem, naming the field (or the file and key), the value and what is allowed.
    """
    problems: list[str] = []
    fields = {}
    for name, value, limit in (
        ("group", group, MAX_GROUP),
        ("prediction", prediction, MAX_TEXT),
        ("explanation", explanation, MAX_TEXT),
    ):
        fields[name], problem = one_line(name, value, limit)
        if problem:
            problems.append(problem)
    if fields["group"] and not re.search(r"\w", fields["group"]):
        problems.append(f"group: {fields['group']!r}; allowed: a name with at least one letter or digit")
    scenario = None
    if not isinstance(scenario_toml, str):
        problems.append(f"scenario: {type(scenario_toml).__name__} given; allowed: the text of a scenario file")
    else:
        try:
            scenario = read_uploaded(ORIGIN, scenario_toml.encode("utf-8", "surrogatepass"))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems or scenario is None:
        raise ScenarioError(problems)
    text = str(scenario_toml)
    changed = changes(scenario, base_name(scenario, text))
    return Checked(fields["group"], fields["prediction"], fields["explanation"], text, scenario, changed)
