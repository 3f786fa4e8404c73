"""Scenario files: the library loads, inheritance works, and bad files say what is wrong.

Every file in ``tests/bad_scenarios/`` is listed in :data:`BAD_FILES` with the
fragments its message must contain: the key path, the bad value where there is
one, and what is allowed (a range, the choices or the valid keys). Each is
checked twice: through :func:`sim.load_scenario` and through
``python -m sim check FILE`` in a fresh process.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pydantic
import pytest
from hang import HANG_S

from sim import CATEGORIES, SECTOR_KEYS, Scenario, ScenarioError, load_scenario
from sim.scenario import library

ROOT = Path(__file__).parent.parent
BAD = Path(__file__).parent / "bad_scenarios"
LIBRARY_NAMES = [
    "baseline_1952",
    "office_doubled",
    "office_priority",
    "no_commission",
    "no_recall",
    "early_recall_1957",
    "translation_campaign",
    "blueprints_withheld",
    "fast_adoption",
    "slow_adoption",
]
OFFICE_KEYS = "open, staff, requests_per_staff_week, discipline, service, outbound_days, forward_days, return_days"
CATEGORY_KEYS = ", ".join(CATEGORIES)
RUN = "1952-09-06 to 1962-12-31"

# file -> fragments of its message besides the file's own name: key path, bad value, what is allowed.
BAD_FILES: dict[str, list[str]] = {
    # syntax and structure
    "bad_toml.toml": ["not valid TOML", "line 1, column 16"],
    "events_not_tables.toml": ["events", "must be an array of tables", "[[events]]"],
    "section_not_table.toml": ["office:", "(got 3)", "must be a table with keys: " + OFFICE_KEYS],
    # unknown keys
    "unknown_top_key.toml": [
        "colour:",
        "unknown key 'colour'",
        "valid keys here: time, demand, office, commission, projects, research, record, soviet, translation, "
        "standards, adoption, specialists, network, sectors, name, title, question, seed, events",
    ],
    "unknown_section_key.toml": ["office.staf:", "unknown key 'staf'", "valid keys here: " + OFFICE_KEYS],
    "unknown_category.toml": [
        "soviet.approval.blueprint:",
        "unknown key 'blueprint'",
        "valid keys here: " + CATEGORY_KEYS,
    ],
    "unknown_sector.toml": ["sectors.steel:", "unknown key 'steel'", "valid keys here: " + ", ".join(SECTOR_KEYS)],
    # types
    "wrong_type.toml": ["office.staff:", "valid integer", "(got 'many')", "[persons; 1 to 1000]"],
    "quoted_number.toml": ["office.staff:", "valid integer", "without quotes", "(got '16')", "1 to 1000"],
    "quoted_bool.toml": ["commission.open:", "valid boolean", "true or false", "(got 'yes')"],
    "category_not_number.toml": ["soviet.approval:", "(got 'high')", "a number", "table with keys: " + CATEGORY_KEYS],
    # ranges and choices
    "out_of_range.toml": ["soviet.approval:", "less than or equal to 1", "(got 1.5)", "[probability; 0 to 1]"],
    "bad_step.toml": ["time.step_days:", "greater than or equal to 1", "(got 0)", "[days; 1 to 31]"],
    "date_too_early.toml": ["time.start:", "(got 1900-01-01)", "1949-10-01 to 1979-12-31"],
    "bad_choice.toml": ["office.discipline:", "(got 'lifo')", "'fifo' or 'priority'"],
    "end_before_start.toml": ["time:", "end (1955-01-01) must come after start (1958-01-01)"],
    # events
    "event_outside_run.toml": ["events[0] (too_late)", "date 1970-01-01", "outside the run", RUN],
    "event_names_nothing.toml": [
        "events[0] (nothing).set",
        "'office.workers' names nothing",
        "valid keys: " + OFFICE_KEYS,
    ],
    "event_sets_group.toml": ["events[0] (grouped).set", "'office'", "group of parameters", OFFICE_KEYS],
    "event_static.toml": ["events[0] (rewire).set", "'network.within_degree'", "cannot change on a date", "[network]"],
    "event_bad_value.toml": ["event 'bad_value'", "soviet.approval.norms:", "(got 2.0)", "[probability; 0 to 1]"],
    "event_wrong_type.toml": ["event 'reopen'", "office.open:", "(got 'soon')", "true or false"],
    "event_missing_date.toml": ["events[0] (undated).date", "missing", "required here: id, date, set"],
    "duplicate_event_ids.toml": ["events:", "duplicate ids ['same']", "each event needs its own id"],
    "event_on_end.toml": ["events[", "(on_the_end)", "date 1962-12-31", "before the end (1962-12-31)"],
    "event_sets_twice.toml": ["(twice).set", "'office.staff' twice (5 and 6)", "set it once"],
    "event_cell_then_table.toml": [
        "(cell_first).set",
        "sets the table 'soviet.approval' after its cell 'soviet.approval.blueprints'",
        "give the table first",
    ],
    # limits and values that were taken silently or misreported
    "empty.toml": ["empty: give at least extends or a title"],
    "not_a_number.toml": ["soviet.approval:", "not a number (nan)", "[probability; 0 to 1]"],
    "title_too_long.toml": ["title:", "at most 200 characters", "(216 characters)"],
    "name_too_long.toml": ["name:", "at most 200 characters", "(201 characters)"],
    # inheritance
    "extends_missing.toml": ["extends:", "no_such_scenario", "no such scenario file", "the library has: baseline_1952"],
    "extends_not_string.toml": ["extends:", "(got 3)", "a scenario name or path"],
    "cycle_a.toml": ["extends:", "circular inheritance", "cycle_a.toml -> cycle_b.toml -> cycle_a.toml"],
    "cycle_b.toml": ["extends:", "circular inheritance", "cycle_b.toml -> cycle_a.toml -> cycle_b.toml"],
    "child_bad_value.toml": ["office.staff:", "greater than or equal to 1", "(got 0)", "1 to 1000"],
    "child_event_moved_out.toml": ["events[18] (recall)", "date 1965-07-28", "outside the run", RUN],
    "child_end_cuts_events.toml": ["(plan_peak_1956)", "date 1956-01-01", "outside the run 1952-09-06 to 1955-12-31"],
    "child_unknown_event.toml": [
        "events:",
        "id 'recal' matches no event of baseline_1952.toml",
        "contracts_cancelled, recall",
        "a new event needs a date and a set",
    ],
}


def test_every_bad_file_is_in_the_table():
    assert {p.name for p in BAD.glob("*.toml")} == set(BAD_FILES)
    assert len(BAD_FILES) >= 12


@pytest.mark.parametrize(("name", "fragments"), BAD_FILES.items(), ids=list(BAD_FILES))
def test_bad_file_raises_a_clear_scenario_error(name, fragments):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(BAD / name)
    problems = caught.value.problems
    assert len(problems) == 1, problems  # one problem, one line
    message = problems[0]
    assert message == str(caught.value)
    assert message.startswith(f"{BAD / name}: "), message  # the file comes first
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert "\n" not in message and "Traceback" not in message


def _check(*paths: Path | str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", "check", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )


@pytest.fixture(scope="module")
def checked_together() -> subprocess.CompletedProcess:
    """``python -m sim check`` on every bad file at once (one process: the full table stays fast)."""
    return _check(*[BAD / name for name in BAD_FILES])


@pytest.mark.parametrize(("name", "fragments"), BAD_FILES.items(), ids=list(BAD_FILES))
def test_check_command_reports_each_bad_file_on_one_line(checked_together, name, fragments):
    done = checked_together
    assert done.returncode == 2
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout == ""  # no file passed
    lines = [line for line in done.stderr.splitlines() if line.startswith(f"{BAD / name}: ")]
    assert len(lines) == 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"
    assert len(done.stderr.strip().splitlines()) == len(BAD_FILES)


SINGLE = ["bad_toml.toml", "unknown_category.toml", "out_of_range.toml", "event_static.toml", "cycle_a.toml"]


@pytest.fixture(scope="module")
def checked_alone() -> dict[str, subprocess.CompletedProcess]:
    """``python -m sim check FILE`` for some bad files, one fresh process each (run side by side)."""
    with ThreadPoolExecutor(max_workers=len(SINGLE)) as pool:
        return dict(zip(SINGLE, pool.map(_check, [BAD / name for name in SINGLE]), strict=True))


@pytest.mark.parametrize("name", SINGLE)
def test_check_command_exits_2_for_one_bad_file(checked_alone, name):
    done = checked_alone[name]
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{BAD / name}: ")
    assert all(fragment in lines[0] for fragment in BAD_FILES[name])


def test_check_reports_each_file_and_fails_if_any_is_bad():
    good, bad = ROOT / "scenarios" / "office_doubled.toml", BAD / "wrong_type.toml"
    done = _check(good, bad, "no_commission")
    assert done.returncode == 2
    assert f"ok  {good}: Office doubled" in done.stdout
    assert "ok  no_commission: No commission" in done.stdout
    assert f"{bad}: office.staff:" in done.stderr and "Traceback" not in done.stderr


def test_check_of_a_missing_file_names_it_and_the_library():
    done = _check(ROOT / "scenarios" / "no_such_file.toml")
    assert done.returncode == 2
    assert "no_such_file.toml: no such scenario file; the library has: baseline_1952" in done.stderr
    assert "Traceback" not in done.stderr


def test_every_problem_in_a_file_is_reported(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text('[office]\nstaff = 0\ndiscipline = "lifo"\n')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    problems = caught.value.problems
    assert len(problems) == 2, problems
    assert all(line.startswith(f"{path}: office.") for line in problems)
    assert any("office.staff" in line and "(got 0)" in line for line in problems)
    assert any("office.discipline" in line and "(got 'lifo')" in line for line in problems)


def test_unreadable_files_say_so(tmp_path):
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ScenarioError, match=r"binary\.toml: cannot be read"):
        load_scenario(binary)
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(ScenarioError, match=r"folder\.toml: is a folder, not a file"):
        load_scenario(tmp_path / "folder.toml")
    os.mkfifo(tmp_path / "pipe.toml")  # reading it would wait for a writer for ever
    with pytest.raises(ScenarioError, match=r"pipe\.toml: is not a regular file"):
        load_scenario(tmp_path / "pipe.toml")


# -- the library ------------------------------------------------------------------


def test_library_has_the_teaching_scenarios():
    assert set(LIBRARY_NAMES) <= set(library())
    assert set(library()) == {p.stem for p in (ROOT / "scenarios").glob("*.toml")}


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.toml")), ids=lambda p: p.stem)
def test_every_library_file_loads(path):
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.name == path.stem
    assert scenario.title and scenario.title != "Untitled scenario"
    assert scenario.question.endswith("?")
    assert load_scenario(path.stem) == scenario  # by name or by path alike
    for event in scenario.active_events():
        assert scenario.time.start <= event.date <= scenario.time.end, event.id
        scenario.apply_event(event)  # every event applies cleanly
    dates = [e.date for e in scenario.active_events()]
    assert dates == sorted(dates)


# -- inheritance ------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Scenario:
    return load_scenario("baseline_1952")


def test_office_doubled_overrides_staff_and_keeps_everything_else(base):
    doubled = load_scenario("office_doubled")
    assert base.office.staff == 24 and doubled.office.staff == 48
    assert doubled.events == base.events  # every inherited event, unchanged
    assert doubled.office.model_dump() == {**base.office.model_dump(), "staff": 48}
    for section in ["time", "demand", "commission", "soviet", "translation", "adoption", "network", "sectors"]:
        assert getattr(doubled, section) == getattr(base, section), section
    assert doubled.seed == base.seed
    assert (doubled.name, base.name) == ("office_doubled", "baseline_1952")
    assert doubled.title != base.title and doubled.question != base.question


def test_no_commission_removes_one_event(base):
    scenario = load_scenario("no_commission")
    active = [e.id for e in scenario.active_events()]
    assert "commission_opens" not in active
    assert active == [e.id for e in base.active_events() if e.id != "commission_opens"]
    assert not scenario.commission.open


def test_early_recall_moves_events_and_keeps_what_it_does_not_change(base):
    early = {e.id: e for e in load_scenario("early_recall_1957").active_events()}
    inherited = {e.id: e for e in base.active_events()}
    assert early["recall"].date == dt.date(1957, 7, 28)
    assert early["contracts_cancelled"].date == dt.date(1957, 7, 16)
    assert early["recall"].set == inherited["recall"].set == {"specialists.present": 0}
    assert early["recall"].label == inherited["recall"].label
    assert early["recall"].source == inherited["recall"].source
    removed = {"specialists_1957", "great_leap", "specialists_1958", "research_agreement_1958", "projects_1958"}
    assert removed.isdisjoint(early)
    assert early["commission_opens"] == inherited["commission_opens"]


def test_blueprints_withheld_changes_one_cell(base):
    withheld = load_scenario("blueprints_withheld")
    assert withheld.soviet.approval.blueprints == 0.3
    for category in CATEGORIES:
        if category != "blueprints":
            assert getattr(withheld.soviet.approval, category) == getattr(base.soviet.approval, category)


def test_translation_campaign_adds_an_event(base):
    campaign = load_scenario("translation_campaign")
    ids = [e.id for e in campaign.active_events()]
    assert ids.count("translator_campaign") == 1
    assert set(ids) - {"translator_campaign"} == {e.id for e in base.active_events()}


def test_a_chain_of_files_inherits_overrides_replaces_and_removes(tmp_path):
    (tmp_path / "parent.toml").write_text(
        'extends = "baseline_1952"\ntitle = "Parent"\n[office]\nstaff = 12\n'
        '[[events]]\nid = "campaign"\ndate = 1955-03-01\nset = { "translation.translators" = 90 }\n'
    )
    child = tmp_path / "child.toml"
    child.write_text(
        'extends = "parent.toml"\ntitle = "Child"\n[soviet.approval]\nnorms = 0.5\n'
        '[[events]]\nid = "campaign"\ndate = 1956-03-01\n'  # moves the parent's event, keeps its set
        '[[events]]\nid = "recall"\nenabled = false\n'  # removes the grandparent's
        '[[events]]\nid = "new_one"\ndate = 1959-01-01\nlabel = "New"\nset = { "office.staff" = 20 }\n'
    )
    scenario = load_scenario(child)
    assert (scenario.name, scenario.title) == ("child", "Child")
    assert scenario.office.staff == 12  # from the parent
    assert scenario.soviet.approval.norms == 0.5  # the child's own
    assert scenario.soviet.approval.standards == 0.95  # the schema default through all three
    events = {e.id: e for e in scenario.active_events()}
    assert events["campaign"].date == dt.date(1956, 3, 1)
    assert events["campaign"].set == {"translation.translators": 90}
    assert "recall" not in events and "contracts_cancelled" in events
    assert events["new_one"].set == {"office.staff": 20}
    assert [e.id for e in scenario.events].count("campaign") == 1


# -- overrides --------------------------------------------------------------------


def test_an_override_that_events_would_overwrite_is_refused_naming_them(base):
    with pytest.raises(ScenarioError) as caught:
        base.with_overrides({"demand.plan_intensity": 0.5})
    message = caught.value.problems[0]
    for event in ("first_five_year_plan (1953-01-01", "agreement_1954 (1954-10-12", "contracts_cancelled (1960-07-16"):
        assert event in message
    assert 'events="keep"' in message and "events.first_five_year_plan.demand.plan_intensity" in message
    with pytest.raises(ScenarioError, match="contracts_cancelled"):
        base.with_overrides({"soviet.approval.blueprints": 0.5})  # a cell of the table the event sets


def test_keep_lets_the_events_apply_and_drop_removes_them(base):
    kept = base.with_overrides({"demand.plan_intensity": 0.5}, events="keep")
    assert kept.demand.plan_intensity == 0.5 and kept.events == base.events
    dropped = base.with_overrides({"demand.plan_intensity": 0.5}, events="drop")
    assert all("demand.plan_intensity" not in e.set for e in dropped.events)
    assert "first_five_year_plan" not in {e.id for e in dropped.events}  # it set nothing else
    assert next(e for e in dropped.events if e.id == "plan_peak_1956").set == {"specialists.present": 2500}
    cell = base.with_overrides({"soviet.approval.blueprints": 0.5}, events="drop")
    cancelled = next(e for e in cell.events if e.id == "contracts_cancelled").set
    assert "soviet.approval.blueprints" not in cancelled and cancelled["soviet.approval.norms"] == 0.15


def test_an_event_value_is_addressed_by_the_event_id(base):
    changed = base.with_overrides({"events.plan_peak_1956.demand.plan_intensity": 2.0})
    assert next(e for e in changed.events if e.id == "plan_peak_1956").set["demand.plan_intensity"] == 2.0
    assert changed.demand.plan_intensity == base.demand.plan_intensity
    with pytest.raises(ScenarioError, match=r"sets only demand\.plan_intensity, specialists\.present"):
        base.with_overrides({"events.plan_peak_1956.office.staff": 3})
    with pytest.raises(ScenarioError, match="names no event"):
        base.with_overrides({"events.nothing.office.staff": 3})
    with pytest.raises(ScenarioError, match="0 to 10"):
        base.with_overrides({"events.plan_peak_1956.demand.plan_intensity": 20})


def test_scalar_override_is_broadcast_over_categories(base):
    changed = base.with_overrides({"soviet.approval": 0.5}, events="keep")
    assert changed.soviet.approval.model_dump() == dict.fromkeys(CATEGORIES, 0.5)
    assert base.soviet.approval.standards == 0.95  # the original is untouched


def test_single_cell_override_keeps_the_other_cells(base):
    changed = base.with_overrides({"soviet.approval.blueprints": 0.5}, events="keep")
    assert changed.soviet.approval.blueprints == 0.5
    for category in CATEGORIES:
        if category != "blueprints":
            assert getattr(changed.soviet.approval, category) == getattr(base.soviet.approval, category)
    both = base.with_overrides(
        {"soviet.approval": 0.5, "soviet.approval.norms": 0.9, "office.staff": 20}, events="keep"
    )
    assert both.soviet.approval.model_dump() == {**dict.fromkeys(CATEGORIES, 0.5), "norms": 0.9}
    assert both.office.staff == 20


def test_overrides_of_the_top_level(base):
    changed = base.with_overrides({"seed": 7, "title": "Mine"})
    assert (changed.seed, changed.title) == (7, "Mine")
    assert changed.events == base.events


@pytest.mark.parametrize(
    ("path", "fragments"),
    [
        ("office.stuff", ["overrides: office.stuff:", "unknown key 'stuff' in office", "valid keys: " + OFFICE_KEYS]),
        ("soviet.approval.steel", ["unknown key 'steel' in soviet.approval", "valid keys: " + CATEGORY_KEYS]),
        ("colour", ["unknown key 'colour' in the top level", "valid keys: time, demand, office"]),
        ("office", ["'office' is a group of parameters", "name one of: " + OFFICE_KEYS]),
        ("office.staff.most", ["'office.staff' is a single value and has no key 'most'"]),
    ],
)
def test_overrides_reject_unknown_paths_listing_valid_keys(base, path, fragments):
    with pytest.raises(ScenarioError) as caught:
        base.with_overrides({path: 1})
    for fragment in fragments:
        assert fragment in str(caught.value), (fragment, str(caught.value))


def test_overrides_reject_bad_values_with_the_range(base):
    with pytest.raises(ScenarioError) as caught:
        base.with_overrides({"office.staff": 0}, origin="--set")
    assert caught.value.problems == [
        "--set: office.staff: Input should be greater than or equal to 1 (got 0) [persons; 1 to 1000]"
    ]
    with pytest.raises(ScenarioError, match=r"soviet\.approval: .*\(got 2\) \[probability; 0 to 1\]"):
        base.with_overrides({"soviet.approval": 2}, events="keep")
    with pytest.raises(ScenarioError, match=r"office\.staff: .*without quotes \(got '16'\)"):
        base.with_overrides({"office.staff": "16"}, strict=True)


# -- frozen -----------------------------------------------------------------------


def test_scenarios_are_frozen(base):
    with pytest.raises(pydantic.ValidationError):
        base.seed = 3
    with pytest.raises(pydantic.ValidationError):
        base.office.staff = 3
    with pytest.raises(pydantic.ValidationError):
        base.soviet.approval.blueprints = 0.1
    with pytest.raises(pydantic.ValidationError):
        base.events[0].date = dt.date(1960, 1, 1)
    assert isinstance(base.events, tuple)
    assert base.office.staff == 24 and base.seed == 1952
    assert load_scenario("baseline_1952") == base
