"""The documentation cannot drift from the code: parameters, sources, scenarios, figures."""

from __future__ import annotations

import csv
import json
import re
import tomllib
from pathlib import Path

import pytest

from sim import load_scenario
from sim.catalog import CHANNELS, SECTOR_KEYS
from sim.history import SUMMARY_TARGETS, record
from sim.params import Params, iter_parameters
from sim.schema_doc import BEGIN, END, parameter_table

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
SCENARIOS = ROOT / "scenarios"
ODD = (DOCS / "ODD.md").read_text(encoding="utf-8")
HISTORY = (DOCS / "history.md").read_text(encoding="utf-8")
with (ROOT / "data" / "history_targets.csv").open(encoding="utf-8", newline="") as _file:
    HISTORY_IDS = {row["id"] for row in csv.DictReader(_file)}
CITED = re.compile(r"history:([A-Za-z0-9_]+)")


def section(text: str, heading: str) -> str:
    """The text under the first Markdown heading containing ``heading``, up to the next heading."""
    match = re.search(rf"^#+ [^\n]*{re.escape(heading)}[^\n]*\n(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    assert match, f"no heading containing {heading!r}"
    return match.group(1)


def first_cells(text: str) -> list[str]:
    """The backticked first cell of every Markdown table row in ``text``."""
    return re.findall(r"^\| `([^`]+)` \|", text, re.M)


# (a) the parameter table


def test_odd_parameter_table_is_the_schema():
    assert ODD.count(BEGIN) == 1 and ODD.count(END) == 1
    block = ODD[ODD.index(BEGIN) : ODD.index(END) + len(END)]
    assert block == parameter_table(), "regenerate the block with `python -m sim params`"


def test_odd_sector_defaults_are_the_models():
    params = Params()
    for key in SECTOR_KEYS:
        sector = getattr(params.sectors, key)
        assert f"| `{key}` | {sector.enterprises} | {sector.weight:g} |" in ODD, key


# (b) sources


def test_every_parameter_source_is_an_assumption_or_a_real_row():
    for path, info, extra in iter_parameters():
        assert extra["unit"], path
        assert info.description, path
        source = extra["source"]
        cited = CITED.findall(source)
        assert source.startswith("assumption") or cited, (path, source)
        assert set(cited) <= HISTORY_IDS, (path, sorted(set(cited) - HISTORY_IDS))
        if isinstance(info.get_default(call_default_factory=True), int | float) and extra["unit"] != "on/off":
            assert extra["ge"] is not None and extra["le"] is not None, path


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")) + sorted(DOCS.glob("*.md")), ids=lambda p: p.name)
def test_every_cited_history_row_exists(path):
    cited = set(CITED.findall(path.read_text(encoding="utf-8")))
    assert cited <= HISTORY_IDS, sorted(cited - HISTORY_IDS)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_event_source_is_an_assumption_or_a_row(path):
    for event in load_scenario(path).events:
        assert event.source.startswith("assumption") or CITED.search(event.source), (path.stem, event.id)


def test_history_table_covers_every_row():
    listed = first_cells(section(HISTORY, "The historical figures and how the model uses them"))
    assert sorted(listed) == sorted(HISTORY_IDS)


# (c) scenarios and events


def test_odd_lists_every_scenario_file():
    rows = section(ODD, "Scenario library")
    names = {path.stem for path in SCENARIOS.glob("*.toml")}
    assert names, "no scenario files found"
    assert set(first_cells(rows)) == names
    for path in SCENARIOS.glob("*.toml"):
        scenario = load_scenario(path)
        assert f"| `{path.stem}` | {scenario.title} | {scenario.question} |" in rows, path.stem


def test_odd_lists_every_baseline_event():
    baseline = load_scenario(SCENARIOS / "baseline_1952.toml")
    for event in baseline.active_events():
        row = next(line for line in ODD.splitlines() if line.startswith(f"| {event.date} | `{event.id}` |"))
        assert row.rstrip().endswith(f"| {event.source} |"), (event.id, "source")
        for key, value in event.set.items():
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            assert f"`{key}` = {shown}" in ODD, (event.id, key)


def test_baseline_file_is_what_odd_says_it_extends():
    raw = tomllib.loads((SCENARIOS / "baseline_1952.toml").read_text(encoding="utf-8"))
    assert "extends" not in raw
    readings = {"reading_continued_after_1960", "reading_counted_on_delivery"}  # variants of the calibrated baseline
    for path in SCENARIOS.glob("*.toml"):
        if path.stem != "baseline_1952":
            parent = "calibrated" if path.stem in readings else "baseline_1952"
            assert tomllib.loads(path.read_text(encoding="utf-8")).get("extends") == parent, path.stem


# the model's own words


def test_odd_step_order_is_the_plan():
    from sim.model import STEP_ORDER, TechTransferModel

    def plain(text: str) -> str:
        return " ".join(text.replace("`", "").lower().split())

    steps = section(ODD, "Process overview and scheduling")
    for number, text in enumerate(STEP_ORDER, 1):
        assert plain(f"{number}. {text}") in plain(steps), (number, text)
        assert f"{number}. {text}" in (TechTransferModel.step.__doc__ or "")
    assert f"{len(STEP_ORDER) + 1}. " not in steps


def test_odd_stage_table_is_the_path():
    from sim.path import MEANING, STAGE_DATE_COLUMNS, Stage

    table = section(ODD, "Process overview and scheduling")
    for stage in Stage:
        entered, then = MEANING[stage]
        name = f"`{stage.key}`"
        if stage is Stage.IN_TRANSIT:
            name += f" (ledger column `{STAGE_DATE_COLUMNS[stage]}`)"
        assert f"| {name} | {entered} | {then} |" in table, stage


def test_odd_output_tables_are_the_declarations():
    from sim.outputs import BEGIN as OUT_BEGIN
    from sim.outputs import END as OUT_END
    from sim.outputs import output_table

    assert ODD.count(OUT_BEGIN) == 1 and ODD.count(OUT_END) == 1
    block = ODD[ODD.index(OUT_BEGIN) : ODD.index(OUT_END) + len(OUT_END)]
    assert block == output_table(), "regenerate the block with sim.outputs.output_table()"


def test_odd_names_every_random_stream():
    used = set(CHANNELS)
    for path in (ROOT / "sim").rglob("*.py"):
        used |= set(re.findall(r"streams\[\"([a-z_]+)\"\]", path.read_text(encoding="utf-8")))
    listed = set(first_cells(section(ODD, "Stochasticity")))
    assert used <= listed, sorted(used - listed)


def test_history_figures_are_the_regression_baseline():
    stored = json.loads((ROOT / "tests" / "regression" / "baseline_1952_seed1952.json").read_text())
    table = section(HISTORY, "How the baseline compares")
    keys = [key for key in stored if key.startswith(("sets_supplied_", "standards_supplied_"))]
    assert len(keys) == 9
    for key in keys:
        assert re.search(rf"^\| `{key}` \|[^\n]*\| {stored[key]:,} \|$", table, re.M), key
    for key in SUMMARY_TARGETS:
        assert f"{record(key):,.0f}" in table, key


def test_about_page_figures_are_the_baselines(baseline_results):
    """Both About pages' 'Things to notice' quote the baseline (seed 1952): they move when the model does."""
    about = " ".join((ROOT / "sim" / "dashboard" / "about.md").read_text(encoding="utf-8").split())
    zh = "".join((ROOT / "sim" / "dashboard" / "about.zh.md").read_text(encoding="utf-8").split())
    assert baseline_results.scenario.seed == 1952
    queue_max = int(baseline_results.timeseries["office_queue"].max())
    assert f"never holds more than {queue_max} requests" in about
    assert f"从不超过{queue_max}个请求" in zh
    ledger = baseline_results.ledger[baseline_results.ledger["delivered"].notna()]
    years = ledger["delivered"].dt.year
    # Each period's mean lead time and its largest part, as each page words them.
    for (first, last), (start, end, words, words_zh) in {
        (1953, 1957): ("under_review", "approved", "Soviet review ({} days)", "苏方审查（{}天）"),
        (1958, 1960): ("arrived", "translating", "({} days) waiting for translation", "（{}天）是在中国等待翻译"),
    }.items():
        rows = ledger[(years >= first) & (years <= last)]
        lead = f"{(rows['delivered'] - rows['created']).dt.days.mean():.0f}"
        part = f"{(rows[end] - rows[start]).dt.days.mean():.0f}"
        assert f"(mean {lead} days)" in about and f"平均{lead}天" in zh, (first, last, lead)
        assert words.format(part) in about and words_zh.format(part) in zh, (first, last, part)
