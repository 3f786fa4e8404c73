"""The documentation cannot drift from the code: parameters, sources, scenarios, figures."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from sim import load_scenario
from sim.params import iter_parameters
from sim.scenario import library
from sim.schema_doc import BEGIN, END, parameter_table

ROOT = Path(__file__).parent.parent
ODD = (ROOT / "docs" / "ODD.md").read_text()
HISTORY = (ROOT / "docs" / "history.md").read_text()
HISTORY_IDS = {row["id"] for row in csv.DictReader((ROOT / "data" / "history_targets.csv").open())}


def test_odd_parameter_table_is_the_schema():
    block = ODD[ODD.index(BEGIN) : ODD.index(END) + len(END)]
    assert block == parameter_table(), "regenerate the block with `python -m sim params`"


def test_every_parameter_has_unit_range_and_a_real_source():
    for path, info, extra in iter_parameters():
        assert extra["unit"], path
        assert info.description, path
        source = extra["source"]
        cited = re.findall(r"history:([a-z0-9_]+)", source)
        assert source.startswith("assumption") or cited, (path, source)
        assert set(cited) <= HISTORY_IDS, (path, cited)
        if isinstance(info.get_default(call_default_factory=True), int | float) and extra["unit"] != "on/off":
            assert extra["ge"] is not None and extra["le"] is not None, path


def test_every_cited_history_row_exists():
    texts = [p.read_text() for p in (ROOT / "scenarios").glob("*.toml")] + [ODD, HISTORY]
    for text in texts:
        assert set(re.findall(r"history:([a-z0-9_]+)", text)) <= HISTORY_IDS
    for name in library():
        for event in load_scenario(name).events:
            assert event.source.startswith("assumption") or "history:" in event.source, (name, event.id)


def test_history_table_covers_every_row():
    for row_id in HISTORY_IDS:
        assert f"| `{row_id}` |" in HISTORY, row_id


def test_odd_lists_every_scenario():
    for name in library():
        scenario = load_scenario(name)
        assert f"| `{name}` | {scenario.title} |" in ODD, name


def test_odd_lists_every_baseline_event():
    for event in load_scenario("baseline_1952").active_events():
        assert f"| {event.date} | `{event.id}` |" in ODD, event.id


def test_odd_step_order_is_the_models():
    from sim.model import TechTransferModel

    def plain(text: str) -> str:
        return " ".join(text.replace("`", "").lower().split())

    steps = re.findall(r"^\s+(\d)\. (.+?)(?=\n\s+\d\.|\n\n)", TechTransferModel.step.__doc__, re.S | re.M)
    assert len(steps) == 9
    for number, text in steps:
        assert plain(f"{number}. {text}") in plain(ODD), (number, text)


def test_history_figures_are_the_regression_baseline():
    stored = json.loads((ROOT / "tests" / "regression" / "baseline_1952_seed1952.json").read_text())
    for key in ["sets_supplied_1953_1962_total", "sets_supplied_1953_1962_blueprints", "standards_supplied_1954_1957"]:
        assert f"| {stored[key]:,} |" in HISTORY, key
