"""Sweep files (``sweeps/*.toml``): what to vary, how to sample it, what to keep.

A sweep file names a base scenario, the parameters to vary (by their dotted path
in the scenario schema, each with a list of ``values`` or a range ``low``-``high``),
a design, replicates per point, the date to run to and what to keep::

    title = "Office staff against adoption rate"
    scenario = "baseline_1952"     # a library name, or a file relative to this one
    until = 1958-12-31             # stop each run here (default: the scenario's end)
    seed = 2024                    # replicate seeds are spawned from it
    replicates = 3

    [design]
    method = "grid"                # grid, lhs, sobol or morris
    samples = 64                   # lhs: points; sobol: base samples N; morris: trajectories

    [parameters]
    "office.staff" = { values = [5, 10, 20] }
    "adoption.own_rate" = { low = 0.001, high = 0.006, num = 3 }

    [keep]
    summary = ["sets_supplied_1953_1962_total", "lead_time_days_mean"]
    timeseries = ["office_queue", "technology_index"]
    every = 4                      # keep every 4th step of the time series

Files are validated like scenario files: unknown keys, unknown parameter paths,
values outside a parameter's range and designs that cannot use the given
parameters are errors naming the file, the key and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from sim.errors import ScenarioError
from sim.limits import TEXT_LENGTH
from sim.scenario import (
    EVENT_PREFIX,
    SCENARIO_KEYS,
    EventMode,
    Scenario,
    library,
    load_scenario,
    not_a_file,
    overlaps,
    read_toml,
    resolve,
    schema_path,
    shadow_message,
)

DESIGNS = ("grid", "lhs", "sobol", "morris")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Axis(_Strict):
    """One varied parameter: a list of ``values`` (grid only) or a range ``low``-``high``."""

    values: tuple[StrictBool | StrictInt | StrictFloat | StrictStr, ...] | None = Field(None, min_length=1)
    low: StrictInt | StrictFloat | None = None
    high: StrictInt | StrictFloat | None = None

    @field_validator("values", mode="before")
    @classmethod
    def _plain_values(cls, value: Any) -> Any:
        if value is None:
            return value
        if not isinstance(value, list | tuple):
            raise ValueError("must be a list of values, e.g. values = [4, 8, 16]")
        for item in value:
            if not isinstance(item, bool | int | float | str):
                raise ValueError(f"{as_toml(item)} is not a number, true/false or text; list only those")
            if isinstance(item, float) and not math.isfinite(item):
                raise ValueError(f"{item} is not a finite number")
        return value

    @field_validator("low", "high", mode="before")
    @classmethod
    def _finite_number(cls, value: Any) -> Any:
        if value is None:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number, written without quotes (got {as_toml(value)})")
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number (got {value})")
        return value

    num: StrictInt | None = Field(None, ge=2, le=1000, description="Grid points across the range (grid only).")
    events: Literal["keep", "drop"] | None = Field(
        None,
        description="For a parameter that dated events also set: keep (the swept value holds until the first "
        "such event, then the events apply) or drop (it holds for the whole run). Without it such a sweep is refused.",
    )

    @model_validator(mode="after")
    def _one_form(self) -> Axis:
        kinds = {_kind(v) for v in self.values or ()}
        if len(kinds) > 1:
            raise ValueError(
                f"values {json.dumps(list(self.values or ()))} mix {' and '.join(sorted(kinds))}; give values of "
                "one type, the parameter's: all numbers, all true/false or all text"
            )
        ranged = self.low is not None or self.high is not None
        if self.values is not None and (ranged or self.num is not None):
            raise ValueError("give either values = [...] or low/high, not both")
        if self.values is None and (self.low is None or self.high is None):
            raise ValueError("give values = [...] or both low and high")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)`` of an axis over a range.

        Raises:
            ValueError: If the axis lists its values instead.
        """
        if self.low is None or self.high is None:
            raise ValueError("this axis lists values; it has no low and high")
        return self.low, self.high

    def grid(self) -> list[Any]:
        """The points of the axis in a grid: the values listed, or ``num`` evenly spaced from low to high.

        Raises:
            ValueError: If a range has no ``num``.
        """
        if self.values is not None:
            return list(self.values)
        if self.num is None:
            raise ValueError("a grid over a range needs num = points")
        return np.linspace(*self.bounds, self.num).tolist()


def as_toml(value: Any) -> str:
    """``value`` as a sweep file writes it (``1955-01-01``, ``true``, ``"text"``, ``[1, 2]``), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(as_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {as_toml(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


def _kind(value: Any) -> str:
    """``bool``, ``number`` or ``text``: the kinds of value an axis may not mix."""
    if isinstance(value, bool):
        return "true/false"
    return "numbers" if isinstance(value, int | float) else "text"


class Design(_Strict):
    """How points are drawn."""

    method: Literal["grid", "lhs", "sobol", "morris"]
    samples: StrictInt | None = Field(
        None, ge=1, le=1_000_000, description="lhs: points; sobol: base samples N (a power of 2); morris: trajectories."
    )
    levels: StrictInt | None = Field(None, ge=2, le=100, description="morris: grid levels (default 4).")

    @model_validator(mode="after")
    def _samples(self) -> Design:
        if self.method != "grid" and self.samples is None:
            raise ValueError(f"method {self.method!r} needs samples = N")
        if self.method == "grid" and self.samples is not None:
            raise ValueError("a grid takes no samples; its points are the product of the values")
        if self.method == "sobol" and self.samples is not None and self.samples & (self.samples - 1):
            raise ValueError(f"sobol samples must be a power of 2 (got {self.samples}; try 64, 128, 256)")
        if self.levels is not None and self.method != "morris":
            raise ValueError(f"levels (got {self.levels}) is for a morris design; a {self.method} design takes none")
        return self

    @property
    def morris_levels(self) -> int:
        """The levels of a Morris design (4 unless given)."""
        return self.levels or 4

    @property
    def sample_size(self) -> int:
        """``samples`` of an lhs, sobol or morris design.

        Raises:
            ValueError: For a grid, which has none.
        """
        if self.samples is None:
            raise ValueError(f"a {self.method} design has no samples")
        return self.samples


class Keep(_Strict):
    """What each run keeps."""

    summary: tuple[str, ...] | None = Field(
        None, description="Summary figures (default: the headline figures); if given, at least one."
    )
    timeseries: tuple[str, ...] = Field((), description="Time-series columns written to runs/<run_id>.parquet.")
    every: StrictInt = Field(1, ge=1, le=10_000, description="Keep every n-th step of the time series.")

    @model_validator(mode="after")
    def _some_summary(self) -> Keep:
        if self.summary is not None and not self.summary:
            raise ValueError(
                "summary = [] would keep no figure; name the figures to keep, or leave summary out "
                "to keep the headline figures"
            )
        return self


class SweepSpec(_Strict):
    """A validated sweep file.

    Attributes:
        source: The file read (or ``<mapping>``); base scenario paths resolve against it.
        parameters: Dotted scenario paths mapped to their axis, in file order.
    """

    source: str = "<mapping>"
    title: str = Field("Untitled sweep", max_length=TEXT_LENGTH)
    scenario: str = "baseline_1952"
    until: dt.date | None = None
    seed: StrictInt = Field(0, ge=0, le=2**63 - 1)
    replicates: StrictInt = Field(1, ge=1, le=10_000)
    design: Design
    parameters: dict[str, Axis] = Field(min_length=1)
    keep: Keep = Keep()

    @cached_property
    def base(self) -> Scenario:
        """The base scenario, resolved relative to the sweep file."""
        relative = Path(self.source).parent if self.source != "<mapping>" else None
        return load_scenario(resolve(self.scenario, relative_to=relative))

    @property
    def end(self) -> dt.date:
        """The date every run stops at."""
        return self.until or self.base.time.end

    @property
    def names(self) -> list[str]:
        """Varied parameters, in file order."""
        return list(self.parameters)

    @property
    def bounds(self) -> list[tuple[float, float]]:
        """``(low, high)`` of every varied parameter, in file order (designs that sample a range)."""
        return [self.parameters[name].bounds for name in self.names]

    @property
    def event_modes(self) -> dict[str, EventMode]:
        """Parameter -> how dated events treat it in a run (``keep`` unless the axis says ``drop``).

        Loading the file refused every axis that events up to the end date would
        overwrite unless it says what it means, so a run keeps the rest.
        """
        return {name: axis.events or "keep" for name, axis in self.parameters.items()}

    def as_plain_data(self) -> dict[str, Any]:
        """The spec as JSON-friendly data (stored beside the results)."""
        return self.model_dump(mode="json", exclude_none=True)


def sweep_library() -> dict[str, Path]:
    """The shipped sweep files (``sweeps/*.toml`` in a checkout, or packaged in the wheel): name -> file."""
    from sim.paths import project_path

    return {p.stem: p for p in sorted(project_path("sweeps").glob("*.toml"))}


def resolve_sweep(name_or_path: str | Path) -> Path:
    """A sweep file by path, or by name among the shipped ones (``office_x_adoption``), as ``run`` finds scenarios.

    A name that is neither is returned as a path (reading it then says there is no such file).
    """
    path = Path(name_or_path)
    if path.suffix == ".toml" or not_a_file(path) is None:
        return path
    return sweep_library().get(str(name_or_path), path)


def is_sweep_file(name: str | Path) -> bool:
    """Whether ``name`` is a readable TOML file with a ``design`` or ``parameters`` table (keys no scenario has)."""
    path = resolve_sweep(name)
    if path.suffix != ".toml" or not_a_file(path) is not None:
        return False
    try:
        raw = read_toml(path)
    except ScenarioError:
        return False
    return "design" in raw or "parameters" in raw


def load_sweep_spec(source: str | Path | Mapping[str, Any] | SweepSpec) -> SweepSpec:
    """Read and validate a sweep file (or a mapping with the same keys).

    Raises:
        ScenarioError: Naming the file, the key path and what is allowed, for
            every problem found.
    """
    if isinstance(source, SweepSpec):
        return source
    if isinstance(source, Mapping):
        raw, origin = dict(source), "<mapping>"
    else:
        path = resolve_sweep(source)
        origin = str(path)
        if not path.exists() and not path.is_symlink():
            names = ", ".join(sweep_library()) or "(none)"
            raise ScenarioError([f"{path}: no such sweep file; the shipped sweeps are: {names}"])
        raw = read_toml(path)
        if "design" not in raw and "parameters" not in raw:
            scenario = raw.keys() & (SCENARIO_KEYS - {"title", "seed"})
            raise ScenarioError(
                [
                    f"{origin}: is a scenario file, not a sweep; run it with `run`"
                    if scenario
                    else f"{origin}: not a sweep file: it has neither [design] nor [parameters]"
                ]
            )
        if isinstance(raw.get("until"), str):  # TOML has dates: text is a mistake, as in a scenario file
            raise ScenarioError(
                [f"{origin}: until: {raw['until']!r} is text; write the date without quotes (YYYY-MM-DD)"]
            )
    raw.pop("source", None)
    try:
        spec = SweepSpec.model_validate({**raw, "source": origin})
    except ValidationError as exc:
        raise ScenarioError(_message(origin, e) for e in exc.errors()) from None
    if spec.scenario not in library():
        relative = Path(origin).parent if origin != "<mapping>" else None
        try:
            located = resolve(spec.scenario, relative_to=relative)
        except ScenarioError as exc:
            raise ScenarioError([f"{origin}: scenario: {p}" for p in exc.problems]) from None
        spec = spec.model_copy(update={"scenario": str(located.resolve())})
    _check_against_schema(spec, origin)
    return spec


def _message(origin: str, error: ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"] if not str(part).startswith(("function-", "tagged-")))
    text = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        text = "unknown key"
    quiet = error["type"] in {"missing", "extra_forbidden"} or isinstance(error.get("input"), dict)
    quiet = quiet or "(got " in text
    shown = "" if quiet else f" (got {as_toml(error.get('input'))})"
    return f"{origin}: {where or 'top level'}: {text}{shown}"


def _check_against_schema(spec: SweepSpec, origin: str) -> None:
    """Every path must name a parameter, every value must be allowed there, and the design must fit."""
    from sim.params import field_at

    try:
        base = spec.base
    except ScenarioError as exc:
        raise ScenarioError([f"{origin}: scenario: {p}" for p in exc.problems]) from None
    problems = _runs_problems(spec, origin)
    if spec.until is not None and not base.time.start < spec.until <= base.time.end:
        problems.append(
            f"{origin}: until: {spec.until} is outside the run; choose a date after {base.time.start} "
            f"and up to {base.time.end}"
        )
    for path, axis in spec.parameters.items():
        try:
            if path.startswith(EVENT_PREFIX):
                base.event_cell(path)
            else:
                field_at(path)
        except KeyError as exc:
            problems.append(f"{origin}: parameters.{path}: {exc.args[0]}")
            continue
        if spec.design.method != "grid" and axis.values is not None:
            problems.append(
                f"{origin}: parameters.{path}: a {spec.design.method} design samples a range; give low and high"
            )
        if spec.design.method == "grid" and axis.values is None and axis.num is None:
            problems.append(f"{origin}: parameters.{path}: a grid over a range needs num = points")
        if spec.design.method != "grid" and axis.num is not None:
            problems.append(
                f"{origin}: parameters.{path}: num (got {axis.num}) is for a grid; "
                f"a {spec.design.method} design draws its points from low and high"
            )
        values = list(axis.values or (axis.low, axis.high))
        fractions = [v for v in axis.values or () if isinstance(v, float) and _is_integer(path)]
        if fractions:  # a listed value is run as written: 1.5 staff is not rounded to 2 unseen
            problems.append(
                f"{origin}: parameters.{path}: value {fractions[0]!r} not allowed: {schema_path(path)} takes whole "
                f"numbers; list them without a decimal point (e.g. {round(fractions[0])})"
            )
            continue
        if path.startswith(EVENT_PREFIX):
            if axis.events is not None:
                problems.append(
                    f"{origin}: parameters.{path}: events (got {axis.events!r}) is for a parameter that events "
                    "also set; this axis sets an event's own value"
                )
        elif axis.events is None and (shadows := base.shadowing(path, spec.end)):
            problems.append(shadow_message(f"{origin}: parameters", path, values[0], shadows, "sweep"))
            continue
        for value in values:
            try:
                base.with_overrides(
                    {path: coerce(path, value)}, origin="", strict=True, events=axis.events or "keep", advice="sweep"
                )
            except ScenarioError as exc:
                detail = exc.problems[0].split(": ", 1)[-1]
                problems.append(f"{origin}: parameters.{path}: value {value!r} not allowed: {detail}")
                break
    problems += _clashes(spec, origin)
    if not problems:
        problems += _size_problems(spec, origin)
    known, columns = _outputs(base)
    for name in spec.keep.summary or ():
        if name not in known:
            problems.append(f"{origin}: keep.summary: unknown figure {name!r}; allowed: {', '.join(sorted(known))}")
    for name in spec.keep.timeseries:
        if name not in columns:
            problems.append(f"{origin}: keep.timeseries: unknown column {name!r}; see timeseries.csv of a run")
    if problems:
        raise ScenarioError(problems)


def design_points(spec: SweepSpec) -> int:
    """How many points the design has, counted without drawing them."""
    method, dimensions = spec.design.method, len(spec.parameters)
    if method == "grid":
        return math.prod(len(axis.values) if axis.values else axis.num or 1 for axis in spec.parameters.values())
    per_sample = {"lhs": 1, "sobol": dimensions + 2, "morris": dimensions + 1}[method]
    return spec.design.sample_size * per_sample


def _runs_problems(spec: SweepSpec, origin: str) -> list[str]:
    """The sweep's runs (points x replicates) against :data:`sim.limits.SWEEP_RUNS`."""
    from sim.limits import SWEEP_RUNS

    points = design_points(spec)
    runs = points * spec.replicates
    if runs <= SWEEP_RUNS:
        return []
    how = {"grid": "the product of the values", "lhs": "samples", "sobol": "samples x (parameters + 2)"}
    return [
        f"{origin}: design: a {spec.design.method} of {points:,} points "
        f"({how.get(spec.design.method, 'samples x (parameters + 1)')}) x {spec.replicates:,} replicates "
        f"= {runs:,} runs; the limit is {SWEEP_RUNS:,} runs (sim/limits.py)"
    ]


def largest_point(spec: SweepSpec) -> dict[str, Any]:
    """The values, one per axis, of the largest run the design can make: each axis at the end that makes it largest.

    A run's size (:meth:`sim.scenario.Scenario.size`) grows or shrinks with each parameter
    alone, whatever the others are (more enterprises, links, demand or weeks), so trying
    each axis' two ends on the base scenario finds the largest corner: a point of a grid,
    and the corner of the box an lhs, sobol or morris design samples from.
    """
    base, modes = spec.base, spec.event_modes
    largest: dict[str, Any] = {}
    for name, axis in spec.parameters.items():
        ends: list[Any] = list(axis.values) if axis.values is not None else [axis.low, axis.high]
        numbers = [v for v in ends if isinstance(v, int | float) and not isinstance(v, bool)]
        ends = [min(numbers), max(numbers)] if len(numbers) == len(ends) else ends[:1]  # text and true/false: no size
        sizes = {}
        for value in ends:
            try:
                changed = base.with_overrides({name: coerce(name, value)}, origin="", strict=True, events=modes)
            except ScenarioError:
                continue
            sizes[value] = changed.size(spec.end).bytes
        if sizes:
            largest[name] = coerce(name, max(sizes, key=lambda v: sizes[v]))
    return largest


def _size_problems(spec: SweepSpec, origin: str) -> list[str]:
    """The largest run of the design (:func:`largest_point`) against :data:`sim.limits.MEMORY_BYTES`.

    If the axes' largest ends do not make a valid scenario together, each is checked alone.
    """
    from sim.errors import TooLargeError

    largest = largest_point(spec)
    candidates = [largest, *({name: value} for name, value in largest.items())] if largest else [{}]
    for values in candidates:
        try:
            run = spec.base.with_overrides(values, origin="", strict=True, events=spec.event_modes)
        except ScenarioError:
            continue
        shown = "".join(f", {name} = {value!r}" for name, value in values.items())
        try:
            run.size(spec.end).check(f"{origin}: the largest run (scenario {spec.scenario}{shown})")
        except TooLargeError as exc:
            return [str(exc)]
        if values is largest:
            break
    return []


def _target(path: str) -> tuple[str, str]:
    """``(event id or "", the path it sets)`` of an axis, for finding axes that set the same cell."""
    if not path.startswith(EVENT_PREFIX):
        return "", path
    inner = schema_path(path)
    return path.removeprefix(EVENT_PREFIX).removesuffix("." + inner), inner


def _clashes(spec: SweepSpec, origin: str) -> list[str]:
    """Axes that set a common cell, or an event's value beside an axis that drops it from the events.

    ``soviet.approval`` and ``soviet.approval.blueprints`` set a common cell: one would silently win.
    """
    problems = []
    names = spec.names
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            (event_a, cell_a), (event_b, cell_b) = _target(a), _target(b)
            if not overlaps(cell_a, cell_b):
                continue
            if event_a == event_b:
                problems.append(
                    f"{origin}: parameters.{b}: sets a value that parameters.{a} sets too; one would silently "
                    "win; keep one of them (or sweep separate cells, e.g. soviet.approval.blueprints and "
                    "soviet.approval.norms)"
                )
            plain_axes = [x for x, e in ((a, event_a), (b, event_b)) if not e]
            drop = next((x for x in plain_axes if spec.parameters[x].events == "drop"), None)
            if drop is not None and (event_a or event_b):
                problems.append(
                    f"{origin}: parameters.{b}: sets an event's value of {drop}, which parameters.{drop} "
                    'removes from the events (events = "drop"); keep one of them'
                )
    return problems


def coerce(path: str, value: Any) -> Any:
    """A sampled value in the parameter's own type: integers are rounded, the rest left alone."""
    if isinstance(value, float) and _is_integer(path):
        return round(value)
    return value


def _is_integer(path: str) -> bool:
    from pydantic import BaseModel as _Model

    from sim.params import CategoryTable, Params

    model: type[_Model] = Params
    for part in schema_path(path).split("."):
        if issubclass(model, CategoryTable):
            return False
        annotation = model.model_fields[part].annotation
        if isinstance(annotation, type) and issubclass(annotation, _Model):
            model = annotation
        else:
            return annotation is int
    return False


def _outputs(base: Scenario) -> tuple[set[str], set[str]]:
    """Summary figures a sweep can keep (the numeric ones) and the time-series columns, as declared."""
    from sim.outputs import FIGURES, SERIES

    return {f.name for f in FIGURES if f.numeric and f.name != "seed"}, {o.name for o in SERIES}
