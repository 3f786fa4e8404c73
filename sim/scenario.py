"""Scenario files: loading, inheritance, events, overrides and clear errors.

A scenario file is TOML. Its top level holds ``title``, ``question``, ``seed``,
an optional ``extends = "other"`` (a library name or a path relative to the
file), the parameter groups of :class:`sim.params.Params` and ``[[events]]``.
Every problem is reported as ``file: key.path: what is wrong (got value);
allowed ...`` through :class:`ScenarioError`.

Files, their events and ``--set`` are validated strictly: TOML carries types,
so ``staff = "16"`` or ``open = "yes"`` is an error rather than a guess. Python
callers of :meth:`Scenario.with_overrides` get pydantic's usual coercion.

Events are keyed by ``id``: a file that extends another replaces an inherited
event by giving the same ``id`` (and removes it with ``enabled = false``).
"""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import stat
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from sim.catalog import CATEGORIES
from sim.errors import ScenarioError, UsageError
from sim.limits import EXTENDS_DEPTH, FILE_BYTES, NESTING_DEPTH, TEXT_LENGTH
from sim.params import CategoryTable, Params, Section, field_at, spread
from sim.paths import project_path

#: Where the scenario library lives.
LIBRARY = project_path("scenarios")

#: Keys of a scenario that are not parameters; overrides may set them and no event does.
META_KEYS = frozenset({"seed", "title", "question", "name"})

#: How an override treats dated events that set the same parameter (see :meth:`Scenario.with_overrides`).
EventMode = Literal["refuse", "keep", "drop"]
EVENT_MODES: tuple[str, ...] = ("refuse", "keep", "drop")

#: Whom a refused override advises, so that every piece of advice names something that exists there.
Advice = Literal["python", "cli", "sweep", "dashboard"]

#: Overrides of the value an event sets are written ``events.<id>.<parameter path>``.
EVENT_PREFIX = "events."


class Event(Section):
    """Parameter changes that take effect on a date."""

    id: str = Field(description="Name of the event; a file that extends another replaces events by id.")
    date: dt.date = Field(description="Day on which the changes take effect.")
    label: str = Field("", max_length=TEXT_LENGTH, description="Short text shown on plots.")
    source: str = Field("assumption", description="history:<id> or assumption.")
    enabled: bool = Field(True, description="false removes an inherited event.")
    set: dict[str, Any] = Field(description="Parameter path -> new value.")

    @field_validator("set", mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            for path, leaf in (flatten(inner, f"{key}.") if isinstance(inner, Mapping) else {key: inner}).items():
                if path in flat:
                    raise ValueError(
                        f"sets '{path}' twice ({_shown(flat[path])} and {_shown(leaf)}), once as a dotted key "
                        "and once in a table; set it once"
                    )
                cell = next((p for p in flat if p.startswith(path + ".")), None)
                if cell is not None:  # the table's value would overwrite the cell set before it
                    raise ValueError(
                        f"sets the table '{path}' after its cell '{cell}', which it would overwrite; "
                        "give the table first, then its cells"
                    )
                flat[path] = leaf
        return flat

    @field_validator("set")
    @classmethod
    def _paths(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not value:
            raise ValueError("an event must set at least one parameter")
        for path in value:
            try:
                extra = field_at(path)
            except KeyError as exc:
                raise ValueError(f"'{path}' names nothing: {exc.args[0]}") from None
            if extra.get("static"):
                raise ValueError(
                    f"'{path}' shapes the model when it is built and cannot change on a date; "
                    f"set it in the [{path.split('.')[0]}] table instead"
                )
        return value


class Scenario(Params):
    """A validated, frozen scenario: parameters, events and a description."""

    name: str = Field(
        "custom", max_length=TEXT_LENGTH, description="Library name (the file's stem); names the run in legends."
    )
    title: str = Field("Untitled scenario", max_length=TEXT_LENGTH, description="One line shown in lists and plots.")
    question: str = Field("", description="The what-if question the scenario answers.")
    seed: int = Field(1952, ge=0, le=2**63 - 1, description="Seed of all random streams.")
    events: tuple[Event, ...] = Field((), description="Dated parameter changes, applied in date order.")

    @model_validator(mode="after")
    def _events_valid(self) -> Scenario:
        ids = [e.id for e in self.events]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ValueError(f"events: duplicate ids {sorted(duplicates)}; each event needs its own id")
        for i, event in enumerate(self.events):
            if event.enabled and not self.time.start <= event.date < self.time.end:
                raise ValueError(
                    f"events[{i}] ({event.id}): date {event.date} is outside the run "
                    f"{self.time.start} to {self.time.end}; an event must fall on or after the start "
                    f"and before the end ({self.time.end})"
                )
        return self

    def active_events(self) -> list[Event]:
        """Enabled events in date order (ties keep file order)."""
        return sorted((e for e in self.events if e.enabled), key=lambda e: e.date)

    def shadowing(self, path: str, until: dt.date | None = None) -> list[tuple[Event, str]]:
        """Active events (up to ``until``, if given) that set ``path``, a cell of it or the table it is a cell of.

        Returns:
            ``(event, the path the event sets)`` pairs, in date order.
        """
        events = [e for e in self.active_events() if until is None or e.date <= until]
        return [(e, q) for e in events for q in e.set if overlaps(path, q)]

    def event_cell(self, path: str) -> tuple[Event, str]:
        """Split ``events.<id>.<parameter path>`` into the event and the path it sets.

        Raises:
            KeyError: If no event has that id, or the event does not set that path
                (nor the table it is a cell of).
        """
        rest = path.removeprefix(EVENT_PREFIX)
        for event in sorted(self.events, key=lambda e: -len(e.id)):
            if rest.startswith(event.id + "."):
                inner = rest[len(event.id) + 1 :]
                if not any(inner == q or inner.startswith(q + ".") for q in event.set):
                    raise KeyError(
                        f"event '{event.id}' sets only {', '.join(event.set)}; address one of them "
                        f"(or a category cell of a table it sets)"
                    )
                return event, inner
        ids = ", ".join(e.id for e in self.events) or "(none)"
        raise KeyError(f"names no event; write events.<id>.<parameter> with an id of: {ids}")

    def with_overrides(
        self,
        overrides: Mapping[str, Any],
        *,
        origin: str = "overrides",
        strict: bool = False,
        events: EventMode | Mapping[str, EventMode] = "refuse",
        advice: Advice = "python",
        until: dt.date | None = None,
    ) -> Scenario:
        """Return a copy with values changed by key path.

        A value that a dated event of the scenario would later overwrite is never
        taken silently (docs/sweeps.md, "Swept values and dated events"): unless
        ``events`` says what is meant, such an override is refused, naming the
        events and their dates.

        Args:
            overrides: ``{"office.staff": 20, "soviet.approval": 0.5, ...}``; a
                per-category path takes a scalar (all five) or one cell;
                ``events.<id>.<path>`` changes the value that event sets.
            origin: Named in error messages (a file, ``--set``, an event).
            strict: Refuse values of the wrong type (``"16"`` for an integer)
                instead of converting them, as for values read from text.
            events: For a path that dated events also set: ``"refuse"`` (the
                default), ``"keep"`` (the value holds from the start until the
                first such event; the events still apply) or ``"drop"`` (the
                value holds for the whole run; those events no longer set it).
                One mode for all paths, or a mapping path -> mode.
            advice: Whom a refusal advises: ``python`` (keyword arguments),
                ``cli`` (``--set`` and ``--events``), ``sweep`` (sweep-file keys)
                or ``dashboard``.
            until: The run stops on this date: events after it overwrite nothing.

        Raises:
            ScenarioError: If a path names nothing, a value is not allowed, or a
                value would be overwritten by an event and ``events`` does not
                say what is meant.
        """
        problems = []
        plain: dict[str, Any] = {}
        by_event: dict[str, dict[str, Any]] = {}
        for path, value in overrides.items():
            if path in META_KEYS:
                plain[path] = value
                continue
            try:
                if path.startswith(EVENT_PREFIX):
                    event, inner = self.event_cell(path)
                    by_event.setdefault(event.id, {})[inner] = value
                    continue
                field_at(path)
            except KeyError as exc:
                problems.append(f"{origin}: {path}: {exc.args[0]}")
                continue
            plain[path] = value
        if problems:
            raise ScenarioError(problems)
        drops: dict[str, list[str]] = {}
        shadowed: list[str] = []
        for path in plain:
            mode = events if isinstance(events, str) else events.get(path, "refuse")
            if mode not in EVENT_MODES:
                problems.append(f"{origin}: {path}: events mode {mode!r} is not one of {', '.join(EVENT_MODES)}")
                continue
            shadows = [] if path in META_KEYS else self.shadowing(path, until)
            if not shadows or mode == "keep":
                continue
            if mode == "refuse":
                shadowed.append(shadow_message(origin, path, plain[path], shadows, advice))
                continue
            for event, _ in shadows:
                drops.setdefault(event.id, []).append(path)
                clash = [p for p in by_event.get(event.id, {}) if overlaps(p, path)]
                if clash:
                    problems.append(
                        f"{origin}: events.{event.id}.{clash[0]}: sets a value of event '{event.id}' that "
                        f"dropping {path} from the events removes; do one or the other"
                    )
        if shadowed:
            self._assigned(plain, origin=origin, strict=strict)  # a value not allowed is the first thing to say
            problems += shadowed
        if problems:
            raise ScenarioError(problems)
        raw = self.model_dump()
        for path, value in plain.items():
            raw = deep_merge(raw, unflatten({path: value}))
        if by_event or drops:
            raw["events"] = _changed_events(raw["events"], by_event, drops)
        scenario = validate(raw, origin=origin, strict=strict)
        for event in scenario.active_events():
            if event.id in by_event:
                scenario._assigned(event.set, origin=f"{origin}: events.{event.id}", strict=strict)
        return scenario

    def _assigned(self, overrides: Mapping[str, Any], *, origin: str, strict: bool) -> Scenario:
        """A copy with ``overrides`` (schema paths, already checked) merged in, without the events check."""
        raw = self.model_dump()
        for path, value in overrides.items():
            raw = deep_merge(raw, unflatten({path: value}))
        return validate(raw, origin=origin, strict=strict)

    def apply_event(self, event: Event) -> Scenario:
        """Return the scenario as it stands after ``event``."""
        return self._assigned(event.set, origin=f"event '{event.id}'", strict=True)

    def as_plain_data(self) -> dict[str, Any]:
        """The resolved scenario as plain data (JSON/TOML friendly)."""
        return self.model_dump(mode="json")

    def size(self, until: dt.date | None = None) -> RunSize:
        """What a run up to ``until`` (its end if None) holds at most: the input of its memory estimate.

        The requests are those demand makes on average between one event and the next (the
        plan's, the key projects' and the research items', at the rates each event sets), with
        every project and item agreed so far counted as active: an upper bound of the mean.
        """
        enterprises = sum(getattr(self.sectors, name).enterprises for name in type(self.sectors).model_fields)
        stop = until or self.time.end
        requests = peak = agreed = items = 0.0
        # The values demand reads, as plain data: the events' values (checked when the scenario was made)
        # merged in without validating the whole scenario again at each event.
        state, since = self.model_dump(include=set(DEMAND_SECTIONS)), self.time.start
        for event in [*(e for e in self.active_events() if e.date < stop), None]:
            demand, projects, research = (state[section] for section in DEMAND_SECTIONS)
            agreed, items = max(agreed, projects["agreed"]), max(items, research["items"])
            weekly = (
                _total(demand["requests_per_week"]) * demand["plan_intensity"]
                + agreed * projects["active_share"] * _total(projects["requests_per_project_week"])
                + items * research["active_share"] * _total(research["requests_per_item_week"])
            )
            until_next = event.date if event is not None else stop
            requests += weekly * (until_next - since).days / 7
            peak = max(peak, weekly)
            if event is not None:
                for path, value in event.set.items():
                    if path.split(".")[0] in DEMAND_SECTIONS:
                        state = deep_merge(state, unflatten({path: value}))
                since = event.date
        degree = self.network.within_degree + self.network.across_degree
        return RunSize(enterprises, enterprises * degree / 2, float(requests), float(peak))

    def check_size(self, until: dt.date | None = None, *, origin: str = "scenario", limit: int | None = None) -> None:
        """Refuse, before a model is built, a run whose estimated memory exceeds ``limit``.

        Args:
            until: The run's last day (its end if None).
            origin: What the message names first (a file, a flag, a control).
            limit: Bytes; :data:`sim.limits.MEMORY_BYTES` if None (the dashboard passes
                :data:`sim.limits.SESSION_MEMORY_BYTES`).

        Raises:
            TooLargeError: Naming the enterprises, the links, the requests, the estimate and the limit.
        """
        self.size(until).check(origin, limit)


#: The sections whose values set how many requests demand makes (:meth:`Scenario.size`).
DEMAND_SECTIONS = ("demand", "projects", "research")


def _total(value: Any) -> float:
    """The sum over the five categories of a per-category value (a table, or one number for all five)."""
    return float(sum(value.values())) if isinstance(value, Mapping) else float(value) * len(CATEGORIES)


@dataclass(frozen=True)
class RunSize:
    """What a run holds at most (:meth:`Scenario.size`), and its memory estimate (:func:`sim.limits.run_bytes`).

    Attributes:
        enterprises: Chinese enterprises, all sectors.
        links: Links of the enterprise network.
        requests: Requests demand makes over the run (on average).
        weekly: The most requests demand makes in a week (on average), between two events.
    """

    enterprises: int
    links: float
    requests: float
    weekly: float

    @property
    def bytes(self) -> int:
        """The estimated memory of the run."""
        from sim.limits import run_bytes

        return run_bytes(self.enterprises, len(CATEGORIES), self.links, self.requests)

    def check(self, origin: str, limit: int | None = None) -> None:
        """Refuse a run whose estimate exceeds ``limit`` (:data:`sim.limits.MEMORY_BYTES` if None).

        Raises:
            TooLargeError: Naming the enterprises, the links, the requests, the estimate and the limit.
        """
        from sim.errors import TooLargeError
        from sim.limits import MEMORY_BYTES, gib

        limit = MEMORY_BYTES if limit is None else limit
        if self.bytes > limit:
            raise TooLargeError(
                f"{origin}: sectors.*.enterprises ({self.enterprises:,} in all) with {self.links:,.0f} links "
                f"(network.*_degree) and demand ({self.requests:,.0f} requests, up to {self.weekly:,.6g} a week): "
                f"the run would need about {gib(self.bytes)} of memory; the limit is {gib(limit)} "
                "(sim/limits.py); use fewer enterprises, fewer links, less demand or a shorter run"
            )


def schema_path(path: str) -> str:
    """The parameter path an override sets: ``path`` itself, or what follows ``events.<id>.``."""
    if not path.startswith(EVENT_PREFIX):
        return path
    parts = path.split(".")
    for i in range(2, len(parts)):
        candidate = ".".join(parts[i:])
        try:
            field_at(candidate)
        except KeyError:
            continue
        return candidate
    return path


def overlaps(a: str, b: str) -> bool:
    """Whether paths ``a`` and ``b`` set a common cell (equal, or one a table holding the other)."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def shadow_message(origin: str, path: str, value: Any, shadows: list[tuple[Event, str]], advice: Advice) -> str:
    """The refusal of an override that dated events would overwrite: the events, their dates and the ways out."""
    listed = ", ".join(f"{e.id} ({e.date}, sets {q})" for e, q in shadows)
    first, cell = shadows[0]
    address = f"events.{first.id}.{cell}"
    ways = {
        "python": (
            f'change one event\'s value as "{address}", or pass events="keep" (the value holds until '
            f'{first.date}, then the events apply) or events="drop" (the value holds for the whole run)'
        ),
        "cli": (
            f"change one event's value with --set {address}=VALUE, or add --events keep (the value holds "
            f"until {first.date}, then the events apply) or --events drop (the value holds for the whole run)"
        ),
        "sweep": (
            f'sweep one event\'s value as "{address}", or give the axis events = "keep" (the value holds '
            f'until {first.date}, then the events apply) or events = "drop" (the value holds for the whole run)'
        ),
        "dashboard": (
            f"it would hold only until {first.date}; change one event's value instead, "
            f"as {address}=VALUE among Compare's changes for B"
        ),
    }
    return (
        f"{origin}: {path}: the value {_shown(value)} would be overwritten by dated events: {listed}; "
        f"say what you mean: {ways[advice]}"
    )


def _changed_events(
    events: Sequence[Mapping[str, Any]], by_event: Mapping[str, Mapping[str, Any]], drops: Mapping[str, list[str]]
) -> list[dict[str, Any]]:
    """Events (as plain data) with the values addressed by id changed and the dropped paths removed.

    An event left setting nothing is removed.
    """
    changed = []
    for raw in events:
        event = dict(raw)
        sets = dict(event["set"])
        for path in drops.get(event["id"], []):
            for q in list(sets):
                if q == path or q.startswith(path + "."):
                    del sets[q]
                elif path.startswith(q + "."):
                    value = sets.pop(q)
                    sets.update({f"{q}.{c}": value for c in CATEGORIES if f"{q}.{c}" != path})
        sets.update(by_event.get(event["id"], {}))
        if sets:
            changed.append({**event, "set": sets})
    return changed


def flatten(mapping: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Turn nested tables into ``{"a.b.c": value}``."""
    flat: dict[str, Any] = {}
    for key, value in mapping.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


def unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    """Turn ``{"a.b": 1}`` into ``{"a": {"b": 1}}``."""
    nested: dict[str, Any] = {}
    for path, value in flat.items():
        node = nested
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return nested


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into ``base``; tables merge, values replace.

    A scalar per-category value in ``base`` that meets a table in ``override``
    is first spread over the five categories, so ``approval = 0.9`` then
    ``approval.blueprints = 0.5`` keeps 0.9 for the other four.
    """
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(value, Mapping) and isinstance(old, int | float) and not isinstance(old, bool):
            old = spread(old)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value
    return merged


def _location(loc: tuple) -> str:
    """``("events", 2, "date")`` -> ``events[2].date``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _shown(value: Any) -> str:
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:40]!r}... ({len(value)} characters)"
    return repr(value) if isinstance(value, str) else str(value)


def parse_value(text: str) -> Any:
    """``text`` read as a TOML value (``"16"`` -> 16, ``"1955-01-01"`` -> a date), or itself if it is none.

    Raises:
        UsageError: If the value nests arrays or tables more than :data:`NESTING_DEPTH` deep.
    """
    try:
        return loads_toml(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
    except TooDeep:
        raise UsageError(f"{_shown(text)}: {TOO_DEEP}") from None


def parse_assignment(text: str, option: str = "--set") -> tuple[str, Any]:
    """Parse ``key.path=value`` (``--set``); the value is read by :func:`parse_value`.

    Raises:
        UsageError: If there is no ``=`` or no key, or the value nests too deep.
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise UsageError(f"{option} {_shown(text)}: write it as key.path=value, e.g. {option} office.staff=16")
    try:
        return key, parse_value(raw.strip())
    except UsageError as exc:
        raise UsageError(f"{option} {key}: {exc}") from None


def parse_assignments(texts: Sequence[str], option: str = "--set") -> dict[str, Any]:
    """Parse every ``key.path=value`` of a repeated option into one mapping, in order.

    Raises:
        UsageError: As :func:`parse_assignment`; or if a later value would overwrite an
            earlier one (the same path twice, or a table after one of its cells), which
            would silently keep only one.
    """
    values: dict[str, Any] = {}
    for text in texts:
        key, value = parse_assignment(text, option)
        earlier = next((k for k in values if k == key or k.startswith(key + ".")), None)
        if earlier is not None:
            twice = "sets it twice" if earlier == key else f"sets the table after its cell {earlier}"
            raise UsageError(
                f"{option} {key}={_shown(value)}: {twice} ({option} {earlier}={_shown(values[earlier])} came first), "
                f"so one value would be lost; give each path once (a table first, then its cells)"
            )
        values[key] = value
    return values


def _format_error(
    error: ErrorDetails, origin: str, event_ids: Sequence[Any] = (), sources: Mapping[str, str] | None = None
) -> str:
    loc = tuple(error["loc"])
    path = _location(loc)
    if sources and loc[:1] != ("events",):
        dotted = ".".join(str(p) for p in loc)
        owners = [k for k in sources if dotted == k or dotted.startswith(k + ".") or k.startswith(dotted + ".")]
        if owners and all(sources[k] == sources[owners[0]] for k in owners) and sources[owners[0]] != origin:
            origin = f"{sources[owners[0]]} (extended by {origin})"
    if loc[:1] == ("events",) and len(loc) > 2 and isinstance(loc[1], int) and loc[1] < len(event_ids):
        path = path.replace(f"events[{loc[1]}]", f"events[{loc[1]}] ({event_ids[loc[1]]})", 1)
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        model = _model_at(loc[:-1])
        valid = ", ".join(model.model_fields) if model is not None else "(none)"
        return f"{origin}: {path}: unknown key '{loc[-1]}'; valid keys here: {valid}"
    message = error["msg"].removeprefix("Value error, ")
    if not loc:
        return f"{origin}: {message}"
    if kind == "model_type":
        model = _model_at(loc)
        keys = ", ".join(model.model_fields) if model is not None else "(none)"
        message = "must be a table with keys: " + keys
        if model is not None and issubclass(model, CategoryTable):
            message = f"must be a number (for all five categories) or a table with keys: {keys}"
    elif kind == "missing" and (model := _model_at(loc[:-1])) is not None:
        required = [name for name, info in model.model_fields.items() if info.is_required()]
        message = f"missing; required here: {', '.join(required)}"
    elif kind == "date_type":
        message += ", written YYYY-MM-DD without quotes"
    elif isinstance(value, float) and not math.isfinite(value):
        message = "not a number (nan)" if math.isnan(value) else f"not finite ({value})"
    elif kind == "bool_type":
        message += ": true or false, without quotes"
    elif isinstance(value, str) and kind.endswith("_type") and _is_unquoted_value(value):
        message += "; write it without quotes"
    hint = ""
    try:
        extra = field_at(".".join(str(p) for p in loc if not isinstance(p, int)))
        bounds = [f"{extra['ge']} to {extra['le']}"] if extra.get("ge") is not None else []
        hint = f" [{'; '.join([extra.get('unit', ''), *bounds])}]"
    except (KeyError, TypeError):
        pass
    quiet = kind in {"value_error", "assertion_error", "missing"} or isinstance(value, dict)
    quiet = quiet or (isinstance(value, float) and not math.isfinite(value))
    shown = "" if quiet else f" (got {_shown(value)})"
    return f"{origin}: {path}: {message}{shown}{hint}"


def _is_unquoted_value(text: str) -> bool:
    """Whether ``text`` would be a TOML value of another type without its quotes (``"16"``, ``"true"``)."""
    try:
        return not isinstance(parse_value(text), str)
    except UsageError:
        return False


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The pydantic model at a location of a scenario, or None past a leaf."""
    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) if model is not None else None
        if info is None:
            return None
        annotation = info.annotation
        model = annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None
        if part == "events":
            model = Event
    return model


def _merge_broadcast(errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Report a scalar spread over the five categories once, at the table's path.

    ``approval = 1.5`` fails in all five cells alike; one line at
    ``soviet.approval`` says so better than five.
    """
    groups: dict[tuple, list[ErrorDetails]] = {}
    for error in errors:
        loc = tuple(error["loc"])
        key = (loc[:-1], error["type"], error["msg"], repr(error.get("input")))
        if loc and loc[-1] in CATEGORIES:
            groups.setdefault(key, []).append(error)
    merged: list[ErrorDetails] = []
    done = set()
    for error in errors:
        loc = tuple(error["loc"])
        key = (loc[:-1], error["type"], error["msg"], repr(error.get("input")))
        group = groups.get(key, [])
        if len(group) < len(CATEGORIES):
            merged.append(error)
        elif key not in done:
            done.add(key)
            merged.append({**error, "loc": loc[:-1]})
    return merged


def validate(
    raw: Mapping[str, Any], *, origin: str, strict: bool = True, sources: Mapping[str, str] | None = None
) -> Scenario:
    """Validate plain data into a :class:`Scenario`, or raise :class:`ScenarioError`.

    Args:
        raw: Nested tables as read from TOML (events as a list or tuple).
        origin: Named at the start of every message (a file, ``--set``).
        strict: Refuse values of the wrong type instead of converting them.
        sources: Dotted key -> the file that set it (a parent named in ``extends``);
            a bad value is reported against that file.
    """
    if isinstance(raw.get("events"), list):
        raw = {**raw, "events": tuple(raw["events"])}
    try:
        return Scenario.model_validate(raw, strict=strict)
    except ValidationError as exc:
        events = raw.get("events")
        events = events if isinstance(events, tuple) else ()
        ids = [e.get("id", "no id") if isinstance(e, Mapping) else "?" for e in events]
        raise ScenarioError(_format_error(e, origin, ids, sources) for e in _merge_broadcast(exc.errors())) from None


def library() -> dict[str, Path]:
    """The scenario library: name -> file, sorted by name."""
    return {p.stem: p for p in sorted(LIBRARY.glob("*.toml"))}


def resolve(name_or_path: str | Path, *, relative_to: Path | None = None) -> Path:
    """Find a scenario file by path, or by name in the library.

    Raises:
        ScenarioError: If there is no such file.
    """
    text = str(name_or_path)
    candidates = [Path(text)]
    if relative_to is not None:
        candidates.insert(0, relative_to / text)
    if not text.endswith(".toml"):
        candidates += [LIBRARY / f"{text}.toml"] + ([relative_to / f"{text}.toml"] if relative_to else [])
    found = None
    for path in candidates:
        why = not_a_file(path)
        if why is None:
            return path
        if why and found is None:
            found = why
    if found is not None:  # something is there, but no file to read
        raise ScenarioError([f"{text}: {found}"])
    names = ", ".join(library()) or "(none)"
    raise ScenarioError([f"{text}: no such scenario file; the library has: {names}"])


def not_a_file(path: Path) -> str | None:
    """Why ``path`` is not a regular file to read: None if it is one, "" if nothing is there, else what it is."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"is a symbolic link loop ({path} -> {os.readlink(path)} -> ...); point the link at a scenario file"
        if path.is_symlink():
            return f"is a symbolic link to {os.readlink(path)}, which does not exist"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return ""
        return f"cannot be read: {exc.strerror or exc}"
    if stat.S_ISREG(info.st_mode):
        return None
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file; name a .toml file"
    return "is not a regular file (a pipe, a socket or a device); save the text in a .toml file"


#: The top-level keys a scenario file may have; a file with none of them is not a scenario.
SCENARIO_KEYS = frozenset({"extends", *Scenario.model_fields})


def read_toml(path: Path) -> dict[str, Any]:
    """Read a scenario or sweep file: UTF-8 (a byte-order mark is dropped), at most :data:`NESTING_DEPTH` deep.

    Raises:
        ScenarioError: If the file is not a regular file, is larger than :data:`sim.limits.FILE_BYTES`,
            cannot be read, is not TOML or nests tables or arrays deeper than the limit.
    """
    why = not_a_file(path)
    if why is not None:
        raise ScenarioError([f"{path}: {why or 'no such file'}"])
    size = path.stat().st_size
    if size > FILE_BYTES:
        raise ScenarioError(
            [
                f"{path}: {size / 1024**2:,.1f} MB; a scenario or sweep file may have at most "
                f"{FILE_BYTES / 1024**2:g} MB (sim/limits.py)"
            ]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioError([f"{path}: cannot be read: not UTF-8 text (byte {exc.start}); save it as UTF-8"]) from None
    except OSError as exc:
        raise ScenarioError([f"{path}: cannot be read: {exc.strerror or exc}"]) from None
    try:
        return loads_toml(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([f"{path}: not valid TOML: {exc}"]) from None
    except TooDeep as exc:
        raise ScenarioError([f"{path}: {exc.key + ': ' if exc.key else ''}{TOO_DEEP}"]) from None


#: What is wrong with a document or value nested past :data:`NESTING_DEPTH`.
TOO_DEEP = f"tables or arrays nested more than {NESTING_DEPTH} deep; the limit is {NESTING_DEPTH}"


class TooDeep(ValueError):
    """A TOML document nests tables or arrays more than :data:`NESTING_DEPTH` deep.

    Attributes:
        key: The top-level key under which it does ("" if unknown).
    """

    def __init__(self, key: str = "") -> None:
        self.key = key
        super().__init__(TOO_DEEP)


def loads_toml(text: str) -> dict[str, Any]:
    """Parse TOML text, at most :data:`NESTING_DEPTH` tables or arrays deep: the one reader of files and values.

    Raises:
        tomllib.TOMLDecodeError: If ``text`` is not TOML.
        TooDeep: If it nests deeper than the limit (the parser's own recursion included).
    """
    try:
        raw = tomllib.loads(text)
    except RecursionError:
        raise TooDeep() from None
    stack: list[tuple[Any, int, str]] = [(raw, 0, "")]
    while stack:
        node, depth, where = stack.pop()
        if depth > NESTING_DEPTH:
            raise TooDeep(where.split(".")[0].split("[")[0])
        if isinstance(node, dict):
            stack += [(v, depth + 1, f"{where}.{k}" if where else str(k)) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, depth + 1, f"{where}[{i}]") for i, v in enumerate(node)]
    return raw


def _read_raw(path: Path, chain: tuple[Path, ...] = (), sources: dict[str, str] | None = None) -> dict[str, Any]:
    """Read a file and everything it extends into one merged raw table.

    ``sources`` (if given) is filled with dotted key -> the file that set it.
    """
    if path.resolve() in chain:
        loop = " -> ".join(p.name for p in (*chain, path.resolve()))
        raise ScenarioError([f"{path}: extends: circular inheritance {loop}"])
    if len(chain) >= EXTENDS_DEPTH:
        raise ScenarioError(
            [
                f"{chain[-1]}: extends: {path.name!r} would be file {len(chain) + 1} of the chain that starts at "
                f"{chain[0]}; at most {EXTENDS_DEPTH} files may extend one another"
            ]
        )
    raw = read_toml(path)
    if not raw:
        raise ScenarioError([f"{path}: empty: give at least extends or a title"])
    if "design" in raw or "parameters" in raw:
        raise ScenarioError(
            [f"{path}: is a sweep file ([design] and [parameters]), not a scenario; run it with `sweep`"]
        )
    if not raw.keys() & SCENARIO_KEYS:
        # Say so without echoing a word of it: the file may be anything (a credentials file, say).
        raise ScenarioError(
            [
                f"{path}: not a scenario file: none of its {len(raw)} top-level keys is a scenario's "
                f"(a scenario has extends, title, seed, events or a section such as office or demand)"
            ]
        )
    parent_name = raw.pop("extends", None)
    raw.setdefault("name", path.stem)
    events = raw.pop("events", [])
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        raise ScenarioError([f"{path}: events: must be an array of tables, written [[events]]"])
    if parent_name is None:
        if sources is not None:
            sources.update(dict.fromkeys(flatten(raw), str(path)))
            sources.update({f"{EVENT_PREFIX}{e.get('id', f'#{i}')}": str(path) for i, e in enumerate(events)})
        return {**raw, "events": events}
    if not isinstance(parent_name, str):
        raise ScenarioError([f"{path}: extends: must be a scenario name or path (got {parent_name!r})"])
    try:
        parent_path = resolve(parent_name, relative_to=path.parent)
    except ScenarioError as exc:
        raise ScenarioError([f"{path}: extends: {line}" for line in exc.problems]) from None
    parent = _read_raw(parent_path, (*chain, path.resolve()), sources)
    if sources is not None:
        sources.update(dict.fromkeys(flatten(raw), str(path)))
    merged_events = {e.get("id", f"#{i}"): e for i, e in enumerate(parent.pop("events"))}
    for i, event in enumerate(events):
        key = event.get("id", f"{path.stem}#{i}")
        if "id" in event and key not in merged_events and not {"date", "set"} <= event.keys():
            inherited = ", ".join(str(k) for k in merged_events) or "(none)"
            raise ScenarioError(
                [
                    f"{path}: events: id {key!r} matches no event of {parent_path.name} "
                    f"(its events: {inherited}); a new event needs a date and a set"
                ]
            )
        merged_events[key] = {**merged_events.get(key, {}), **event}
        if sources is not None and "set" in event:
            sources[f"{EVENT_PREFIX}{key}"] = str(path)
    parent.pop("name", None)
    parent.pop("question", None)
    parent.pop("title", None)
    return {**deep_merge(parent, raw), "events": list(merged_events.values())}


def load_scenario(name_or_path: Scenario | str | Path) -> Scenario:
    """Load, merge and validate a scenario file.

    Args:
        name_or_path: A library name (``"baseline_1952"``) or a path to a TOML file; a
            :class:`Scenario` is returned as it is.

    Returns:
        The validated, frozen scenario.

    Raises:
        ScenarioError: Naming the file, the key path, the bad value and what is
            allowed, for every problem found.
    """
    if isinstance(name_or_path, Scenario):
        return name_or_path
    path = resolve(name_or_path)
    sources: dict[str, str] = {}
    raw = _read_raw(path, sources=sources)
    scenario = validate(raw, origin=str(path), sources=sources)
    problems = []
    for event in scenario.active_events():
        try:
            scenario.apply_event(event)
        except ScenarioError as exc:
            owner = sources.get(f"{EVENT_PREFIX}{event.id}", str(path))
            origin = str(path) if owner == str(path) else f"{owner} (extended by {path})"
            problems += [f"{origin}: {line}" for line in exc.problems]
    if problems:
        raise ScenarioError(problems)
    return scenario
