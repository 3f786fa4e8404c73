"""Parameter controls generated from the one scenario schema (labels, units, ranges, defaults).

Nothing here declares a parameter: every control is read off :mod:`sim.params`, and
every change is checked by the schema itself (``Scenario.with_overrides``), so the
dashboard accepts exactly what a scenario file accepts and says why it refuses.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any

from sim.catalog import CATEGORIES
from sim.errors import ScenarioError, TooLargeError
from sim.limits import SESSION_MEMORY_BYTES
from sim.params import CategoryTable, iter_parameters
from sim.scenario import Scenario


@dataclass(frozen=True)
class Control:
    """One input of the dashboard.

    Attributes:
        path: Dotted path in the scenario (``office.staff``, ``soviet.approval.blueprints``).
        section: The schema section it belongs to (``office``).
        label: What the input is called: the path's last parts and the unit.
        kind: ``int``, ``float``, ``bool``, ``choice`` or ``date``.
        unit: Unit from the schema.
        low: Lowest allowed value (None if unbounded).
        high: Highest allowed value (None if unbounded).
        choices: Allowed values of a ``choice``.
        description: The schema's description (shown as a hint).
        source: The schema's source (a history row or "assumption").
        teaching: The schema's ``teaching`` mark (plain label, slider range), or None.
    """

    path: str
    section: str
    label: str
    kind: str
    unit: str
    low: Any
    high: Any
    choices: tuple[str, ...]
    description: str
    source: str
    teaching: dict[str, Any] | None = None

    @property
    def hint(self) -> str:
        """Range, unit and source, as shown under the input."""
        if self.choices:
            allowed = " or ".join(self.choices)
        elif self.low is not None or self.high is not None:
            allowed = f"{self.low} to {self.high}"
        elif self.kind == "bool":
            return f"on or off; {self.description} Source: {self.source}."
        else:
            allowed = "any"
        return f"{allowed} ({self.unit}); {self.description} Source: {self.source}."

    @property
    def plain_label(self) -> str:
        """The teaching label with the unit (a switch or chooser has none), else :attr:`label`."""
        if not self.teaching:
            return self.label
        unit = "" if self.kind in {"bool", "choice"} else f" ({self.unit})"
        return self.teaching["label"] + unit

    def word(self, value: Any) -> Any:
        """A chooser's value in the plain words the schema's ``teaching`` mark gives it (else the value)."""
        return (self.teaching or {}).get("choices", {}).get(value, value)

    def value_in(self, scenario: Scenario) -> Any:
        """This control's current value in ``scenario``."""
        value: Any = scenario
        for part in self.path.split("."):
            value = getattr(value, part)
        return value


def _words(path: str) -> str:
    """``requests_per_staff_week`` as ``Requests per staff week``."""
    text = path.replace("_", " ").replace(".", ": ")
    return text[:1].upper() + text[1:]


def _kind(annotation: Any) -> tuple[str, tuple[str, ...]]:
    if typing.get_origin(annotation) is typing.Literal:
        return "choice", tuple(str(a) for a in typing.get_args(annotation))
    if annotation is bool:
        return "bool", ()
    if annotation is int:
        return "int", ()
    if annotation is dt.date:
        return "date", ()
    return "float", ()


def controls() -> list[Control]:
    """Every parameter of the schema as a control, in schema order; per-category tables give one per category."""
    found = []
    for path, info, extra in iter_parameters():
        section = path.split(".")[0]
        annotation = info.annotation
        common = {
            "section": section,
            "unit": extra["unit"],
            "low": extra.get("ge"),
            "high": extra.get("le"),
            "description": info.description or "",
            "source": extra.get("source", "assumption"),
        }
        if isinstance(annotation, type) and issubclass(annotation, CategoryTable):
            for category in CATEGORIES:
                cell = annotation.model_fields[category]
                bounds = {type(m).__name__: m for m in cell.metadata}
                low = getattr(bounds.get("Ge"), "ge", common["low"])
                high = getattr(bounds.get("Le"), "le", common["high"])
                found.append(
                    Control(
                        path=f"{path}.{category}",
                        label=f"{_words(path.split('.', 1)[1])}: {category.replace('_', ' ')} ({extra['unit']})",
                        kind="float",
                        choices=(),
                        **{**common, "low": low, "high": high},
                    )
                )
            continue
        kind, choices = _kind(annotation)
        found.append(
            Control(
                path=path,
                label=_words(path.split(".", 1)[1]) + ("" if kind in {"bool", "choice"} else f" ({extra['unit']})"),
                kind=kind,
                choices=choices,
                teaching=extra.get("teaching"),
                **common,
            )
        )
    return found


def sections() -> dict[str, list[Control]]:
    """Controls grouped by schema section, in schema order."""
    grouped: dict[str, list[Control]] = {}
    for control in controls():
        grouped.setdefault(control.section, []).append(control)
    return grouped


def teaching_controls() -> list[Control]:
    """The controls the schema marks for teaching (``teaching`` in a field's declaration), in schema order."""
    return [control for control in controls() if control.teaching]


def differences(base: Scenario, current: Scenario) -> list[tuple[Control, Any, Any]]:
    """Every control whose value in ``current`` differs from ``base``: (control, base value, current value)."""
    return [
        (control, control.value_in(base), control.value_in(current))
        for control in controls()
        if control.value_in(base) != control.value_in(current)
    ]


def apply_change(scenario: Scenario, control: Control, raw: Any) -> Scenario:
    """``scenario`` with ``control`` set to ``raw`` (text or a value).

    Raises:
        ScenarioError: With a message naming the parameter and what is allowed.
    """
    value = raw
    if isinstance(raw, str) and control.kind in {"int", "float"}:
        text = raw.strip().replace(",", "")
        try:
            value = float(text)
        except ValueError:
            raise ScenarioError([f"{control.path}: {raw!r} is not a number; allowed: {control.hint}"]) from None
    if control.kind == "int" and isinstance(value, float):
        if not value.is_integer():
            raise ScenarioError([f"{control.path}: {value} is not a whole number; allowed: {control.hint}"])
        value = int(value)
    try:
        changed = scenario.with_overrides({control.path: value}, origin="dashboard", advice="dashboard")
    except ScenarioError as exc:
        problems = [p.removeprefix("dashboard: ") for p in exc.problems]
        raise ScenarioError(p if p.startswith(control.path) else f"{control.path}: {p}" for p in problems) from None
    try:  # one session must not exhaust the server that a class shares
        changed.check_size(origin=f"{control.path} = {value}", limit=SESSION_MEMORY_BYTES)
    except TooLargeError as exc:
        raise ScenarioError([str(exc)]) from None
    return changed
