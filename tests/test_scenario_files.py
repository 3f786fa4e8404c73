"""Scenario files: the library loads, inheritance works, and bad files say what is wrong."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from sim import ScenarioError, load_scenario
from sim.scenario import library

ROOT = Path(__file__).parent.parent
BAD = Path(__file__).parent / "bad_scenarios"

# file -> fragments its message must contain (besides the file name).
BAD_FILES = {
    "bad_toml.toml": ["not valid TOML", "line"],
    "unknown_top_key.toml": ["colour", "unknown key", "valid keys here", "office", "events"],
    "unknown_section_key.toml": ["office.staf", "unknown key", "staff", "requests_per_staff_week"],
    "unknown_category.toml": ["soviet.approval.blueprint", "standards", "blueprints", "norms"],
    "wrong_type.toml": ["office.staff", "valid integer", "'many'", "1 to 1000"],
    "out_of_range.toml": ["soviet.approval", "less than or equal to 1", "1.5", "0 to 1"],
    "event_outside_run.toml": ["too_late", "1970-01-01", "outside the run", "1952-09-06 to 1962-12-31"],
    "event_names_nothing.toml": ["events[0].set", "workers", "names nothing", "valid keys", "staff"],
    "event_static.toml": ["network.within_degree", "cannot change on a date"],
    "extends_missing.toml": ["no_such_scenario", "no such scenario", "baseline_1952"],
    "cycle_a.toml": ["circular", "cycle_a.toml", "cycle_b.toml"],
    "end_before_start.toml": ["time", "end (1955-01-01) must come after start (1958-01-01)"],
    "duplicate_event_ids.toml": ["duplicate", "same"],
    "bad_choice.toml": ["office.discipline", "'fifo' or 'priority'", "'lifo'"],
    "event_bad_value.toml": ["bad_value", "soviet.approval.norms", "2.0", "0 to 1"],
    "unknown_sector.toml": ["sectors.steel", "heavy_industry", "railways"],
    "events_not_tables.toml": ["events", "[[events]]"],
}


def test_every_bad_file_is_in_the_table():
    assert {p.name for p in BAD.glob("*.toml")} - {"cycle_b.toml"} == set(BAD_FILES)


@pytest.mark.parametrize(("name", "fragments"), BAD_FILES.items())
def test_bad_file_gives_a_clear_error(name, fragments):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BAD / name)
    message = str(caught.value)
    assert name in message or "cycle" in name
    for fragment in fragments:
        assert fragment in message, (fragment, message)


@pytest.mark.parametrize("name", ["bad_toml.toml", "unknown_category.toml", "event_static.toml", "cycle_a.toml"])
def test_check_command_reports_bad_files_with_exit_2(name):
    done = subprocess.run(
        [sys.executable, "-m", "sim", "check", str(BAD / name)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert name in done.stderr or "cycle" in name
    assert "Traceback" not in done.stderr + done.stdout


def test_library_loads_with_titles_and_questions():
    names = library()
    for required in [
        "baseline_1952",
        "office_doubled",
        "no_commission",
        "no_recall",
        "early_recall_1957",
        "translation_campaign",
        "blueprints_withheld",
        "fast_adoption",
        "slow_adoption",
    ]:
        assert required in names
    for name in names:
        scenario = load_scenario(name)
        assert scenario.name == name
        assert scenario.title and scenario.question.endswith("?"), name


def test_inheritance_overrides_and_keeps_events():
    base = load_scenario("baseline_1952")
    doubled = load_scenario("office_doubled")
    assert doubled.office.staff == 2 * base.office.staff
    assert [e.id for e in doubled.active_events()] == [e.id for e in base.active_events()]
    assert doubled.demand == base.demand
    assert "commission_opens" not in [e.id for e in load_scenario("no_commission").active_events()]
    early = {e.id: e for e in load_scenario("early_recall_1957").active_events()}
    assert early["recall"].date == dt.date(1957, 7, 28)
    assert early["recall"].set == {"specialists.present": 110}
    assert "great_leap" not in early
    withheld = load_scenario("blueprints_withheld")
    assert withheld.soviet.approval.blueprints == 0.3
    assert withheld.soviet.approval.norms == base.soviet.approval.norms


def test_overrides_broadcast_and_cells():
    base = load_scenario("baseline_1952")
    changed = base.with_overrides({"soviet.approval": 0.5, "soviet.approval.norms": 0.9, "office.staff": 20})
    assert changed.soviet.approval.model_dump() == {
        "standards": 0.5,
        "typical_designs": 0.5,
        "operating_procedures": 0.5,
        "blueprints": 0.5,
        "norms": 0.9,
    }
    assert changed.office.staff == 20 and base.office.staff != 20
    with pytest.raises(ScenarioError, match="unknown key 'stuff' in office; valid keys: open, staff"):
        base.with_overrides({"office.stuff": 1})
    with pytest.raises(ScenarioError, match="is a group of parameters"):
        base.with_overrides({"office": 1})


def test_scenarios_are_frozen():
    scenario = load_scenario("baseline_1952")
    with pytest.raises(pydantic.ValidationError):
        scenario.office.staff = 3
    with pytest.raises(pydantic.ValidationError):
        scenario.seed = 3
