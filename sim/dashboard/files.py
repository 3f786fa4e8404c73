"""What a student takes away from the dashboard and brings back: scenario files, time series.

:func:`scenario_toml` writes the scenario as it stands in the dashboard (its changes
included) as a TOML file that ``python -m sim run FILE`` accepts, and
:func:`read_uploaded` reads one back with the command line's own checks and messages
(:func:`sim.scenario.load_scenario`), naming the uploaded file rather than where it
was kept on the server.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ScenarioError, TooLargeError
from sim.limits import SESSION_MEMORY_BYTES
from sim.scenario import Scenario, library, load_scenario

if TYPE_CHECKING:
    from sim.model import TechTransferModel

#: Largest scenario file accepted (bytes): a scenario is a page of text.
MAX_UPLOAD = 200_000


def _value(value: Any) -> str:
    """One TOML value: a string, a boolean, a number, a local date or an inline table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


def _table(lines: list[str], name: str, table: Mapping[str, Any]) -> None:
    """Append ``[name]`` with its values, then its sub-tables."""
    values = {k: v for k, v in table.items() if not isinstance(v, Mapping)}
    subtables = {k: v for k, v in table.items() if isinstance(v, Mapping)}
    if values:
        lines += ["", f"[{name}]"] + [f"{key} = {_value(value)}" for key, value in values.items()]
    for key, sub in subtables.items():
        _table(lines, f"{name}.{key}", sub)


def scenario_toml(scenario: Scenario, note: str = "") -> str:
    """``scenario`` in full as a scenario file (every value, every event), with ``note`` as a comment at the top."""
    data = scenario.model_dump()
    lines = [f"# {line}" for line in note.splitlines()] if note else []
    lines += [f"{key} = {_value(data.pop(key))}" for key in ("name", "title", "question", "seed")]
    events = data.pop("events")
    for section, table in data.items():
        _table(lines, section, table)
    for event in events:
        lines += ["", "[[events]]"] + [f"{key} = {_value(value)}" for key, value in event.items()]
    return "\n".join(lines) + "\n"


def read_uploaded(name: str, data: bytes, size: int | None = None) -> Scenario:
    """Validate an uploaded scenario file as ``python -m sim run`` would, with its messages.

    Args:
        name: The file's name as the browser gave it.
        data: Its bytes.
        size: Its size in bytes, if it was too large to be sent (``data`` then empty).

    Raises:
        ScenarioError: One line per problem, naming the file, the key, the value and what is allowed.
    """
    shown = Path(name).name or "scenario.toml"
    if not shown.endswith(".toml"):
        raise ScenarioError([f"{shown}: not a scenario file; upload a .toml file (as `python -m sim run` reads)"])
    size = max(size or 0, len(data))
    if size > MAX_UPLOAD:
        raise ScenarioError([f"{shown}: {size:,} bytes; a scenario file is at most {MAX_UPLOAD:,} bytes"])
    parent = _extends(data)
    if parent is not None and parent not in library():
        # A path would make the server read its own files; only the library's scenarios may be extended.
        names = ", ".join(library())
        raise ScenarioError([f"{shown}: extends: {parent!r} is not a scenario of the library; allowed: {names}"])
    with tempfile.TemporaryDirectory(prefix="ziliao-upload-") as tmp:
        path = Path(tmp) / shown
        path.write_bytes(data)
        try:
            scenario = load_scenario(path)
            scenario.check_size(origin=shown, limit=SESSION_MEMORY_BYTES)
        except ScenarioError as exc:
            raise ScenarioError(line.replace(str(path), shown) for line in exc.problems) from None
        except TooLargeError as exc:
            raise ScenarioError([str(exc)]) from None
        return scenario


def _extends(data: bytes) -> str | None:
    """What an uploaded file's ``extends`` names (None if it names nothing or is not TOML: loading says why)."""
    import tomllib

    try:
        parent = tomllib.loads(data.decode("utf-8-sig")).get("extends")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        return None
    return parent if isinstance(parent, str) else None


def timeseries_csv(model: TechTransferModel) -> str:
    """The time series collected so far, one row per step, columns as declared in :mod:`sim.outputs`."""
    return model.datacollector.get_model_vars_dataframe().to_csv(index=False)
