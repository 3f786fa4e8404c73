"""A submission checked before it is stored: a group name, a prediction, an explanation and a scenario file.

The scenario file is checked by :func:`sim.dashboard.files.read_uploaded`, so a
student gets the same messages as the command line and the dashboard's upload,
it may extend only the library's scenarios (nothing a student sends names a file
on the server), and its run must fit a dashboard session's memory.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sim.dashboard.files import read_uploaded
from sim.errors import ScenarioError
from sim.scenario import Scenario

MAX_GROUP = 40
MAX_TEXT = 300
#: Where the submission's file name comes from in messages.
ORIGIN = "submission.toml"


@dataclass(frozen=True)
class Checked:
    """A submission that may be stored."""

    group: str
    prediction: str
    explanation: str
    scenario_toml: str
    scenario: Scenario


def _text(name: str, value: object, limit: int, *, required: bool) -> tuple[str, str | None]:
    if not isinstance(value, str):
        return "", f"{name}: {type(value).__name__} given; allowed: text of at most {limit} characters"
    text = " ".join(value.split())  # one line: newlines and runs of spaces become one space
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co"} for ch in text):
        return "", f"{name}: {value[:40]!r} has control characters; allowed: printable text"
    if required and not text:
        return "", f"{name}: empty; allowed: text of 1 to {limit} characters"
    if len(text) > limit:
        return "", f"{name}: {len(text)} characters; allowed: at most {limit}"
    return text, None


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
        text, problem = _text(name, value, limit, required=True)
        fields[name] = text
        if problem:
            problems.append(problem)
    if fields["group"] and not re.search(r"\w", fields["group"]):
        problems.append(f"group: {fields['group']!r}; allowed: a name with at least one letter or digit")
    scenario = None
    text = scenario_toml if isinstance(scenario_toml, str) else ""
    if not isinstance(scenario_toml, str):
        problems.append(f"scenario: {type(scenario_toml).__name__} given; allowed: the text of a scenario file")
    else:
        try:
            scenario = read_uploaded(ORIGIN, text.encode("utf-8"))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems or scenario is None:
        raise ScenarioError(problems)
    return Checked(fields["group"], fields["prediction"], fields["explanation"], text, scenario)
