"""The dashboard: schema-driven controls, its views, and the app in a real browser (Debian's chromium)."""

from __future__ import annotations

import ast
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from browser import CHROMIUM, FLAGS, free_port, need_browser, page_text, serving
from hang import HANG_S
from matplotlib.colors import to_hex
from matplotlib.text import Text

from sim import load_scenario
from sim.catalog import CATEGORIES
from sim.charts import CHARTS, records
from sim.dashboard import views
from sim.dashboard.app import shown, what_changed
from sim.dashboard.canvas import composite, png
from sim.dashboard.controls import apply_change, controls, differences, sections, teaching_controls
from sim.dashboard.files import read_uploaded, scenario_toml
from sim.model import TechTransferModel
from sim.params import iter_parameters
from sim.scenario import ScenarioError, library

ROOT = Path(__file__).parent.parent


# -- controls and views, without a browser ------------------------------------------------


def test_every_parameter_of_the_schema_has_a_control_with_its_unit_and_range():
    by_path = {c.path: c for c in controls()}
    for path, _info, extra in iter_parameters():
        matching = [c for p, c in by_path.items() if p == path or p.startswith(path + ".")]
        assert matching, f"no control for {path}"
        for control in matching:
            if control.kind in {"bool", "choice"}:  # a switch or a chooser: "on/off (on/off)" said nothing
                assert "(" not in control.label and "_" not in control.label, control.label
            else:
                assert extra["unit"] in control.label and "_" not in control.label.split("(")[0], control.label
            assert control.low == extra["ge"] or extra["ge"] is None or control.low is not None
    staff = by_path["office.staff"]
    assert (staff.kind, staff.low, staff.high) == ("int", 1, 1000)
    assert by_path["office.discipline"].choices == ("fifo", "priority")
    assert by_path["soviet.approval.blueprints"].value_in(load_scenario("baseline_1952")) == 0.8


def test_teaching_controls_are_the_ones_the_schema_marks_with_plain_labels_and_slider_ranges():
    marked = [path for path, _info, extra in iter_parameters() if "teaching" in extra]
    teaching = teaching_controls()
    assert [c.path for c in teaching] == marked and 6 <= len(teaching) <= 10
    assert {c.kind for c in teaching} >= {"bool", "choice", "int", "float"}  # a switch, a chooser, sliders
    for control in teaching:
        assert control.plain_label[:1].isupper() and "_" not in control.plain_label and "." not in control.plain_label
        spec = control.teaching
        if control.kind in {"int", "float"}:
            assert control.unit in control.plain_label
            assert control.low <= spec["low"] < spec["high"] <= control.high, control.path
            for name in library():  # the library's values lie on the slider
                assert spec["low"] <= control.value_in(load_scenario(name)) <= spec["high"], (name, control.path)
        if control.kind == "choice":  # a chooser names every value in plain words, none twice
            assert sorted(spec["choices"]) == sorted(control.choices)
            assert len(set(spec["choices"].values())) == len(control.choices)
            assert all("_" not in word and word[:1].isupper() for word in spec["choices"].values())


def test_what_changed_names_a_choosers_values_in_plain_words():
    from sim.dashboard.i18n import translator

    base = load_scenario("baseline_1952")
    changed = base.with_overrides({"office.discipline": "priority"})
    line = "Order of the Office's queue: In order of arrival → Key projects first"
    assert what_changed(base, changed, base.seed) == line
    assert what_changed(base, changed, base.seed, translator("zh")) == "参赞处排队的次序: 按到达次序 → 重点项目优先"


def test_differences_name_what_changed_from_the_scenario():
    base = load_scenario("baseline_1952")
    staff = next(c for c in controls() if c.path == "office.staff")
    changed = apply_change(base, staff, "12")
    assert [(c.path, old, new) for c, old, new in differences(base, changed)] == [("office.staff", 24, 12)]
    assert differences(base, base) == []
    line = what_changed(base, changed, seed=7)
    assert "Staff at the Counsellor's Office (persons): 24 → 12" in line and "seed: 1952 → 7" in line


def test_scenario_file_round_trip_and_the_command_line_runs_it(tmp_path):
    base = load_scenario("office_doubled")
    scenario = base.with_overrides({"office.staff": 12, "seed": 7}, origin="dashboard")
    text = scenario_toml(scenario, "saved from the dashboard")
    assert read_uploaded("mine.toml", text.encode()).model_dump() == scenario.model_dump()
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(path),
            "--until",
            "1953-01-01",
            "--out",
            str(tmp_path / "out"),
            "--no-plots",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["seed"] == 7


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bad.toml", "[office]\nstaff = -3\n", "bad.toml: office.staff: Input should be greater than or equal to 1"),
        ("bad.toml", "[office\n", "bad.toml: not valid TOML"),
        ("bad.toml", "[office]\nstaf = 3\n", "bad.toml: office.staf"),
        ("notes.txt", "hello", "notes.txt: not a scenario file"),
        ("up.toml", 'extends = "/etc/passwd"\n', "up.toml: extends: '/etc/passwd' is not a scenario of the library"),
        ("up.toml", 'extends = "../scenarios/baseline_1952.toml"\n', "is not a scenario of the library"),
        (
            "big.toml",
            'extends = "baseline_1952"\n[sectors.heavy_industry]\nenterprises = 1000000\n',
            "big.toml: sectors.*.enterprises",
        ),
    ],
)
def test_an_uploaded_file_is_refused_with_the_command_lines_message_naming_the_file(name, text, expected):
    with pytest.raises(ScenarioError) as caught:
        read_uploaded(name, text.encode())
    assert expected in caught.value.problems[0] and "ziliao-upload" not in caught.value.problems[0]


def test_values_are_shown_as_a_room_reads_them():
    values = (18379.0, -0.0, 0.49123, 12811, None, -0.0004)
    assert [shown(v) for v in values] == ["18,379", "0", "0.491", "12,811", "-", "-0.0004"]


@pytest.mark.parametrize(
    ("path", "raw", "expected"),
    [
        ("office.staff", "-5", "greater than or equal to 1"),
        ("office.staff", "many", "not a number"),
        ("office.staff", "2.5", "not a whole number"),
        ("soviet.approval.blueprints", "1.5", "less than or equal to 1"),
        ("time.end", "1955-01-01", "outside the run"),
        ("sectors.heavy_industry.enterprises", "1000000", "the limit is 1.0 GiB"),  # one session, one share
    ],
)
def test_a_refused_value_says_which_parameter_and_what_is_allowed(path, raw, expected):
    control = next(c for c in controls() if c.path == path)
    with pytest.raises(ScenarioError) as caught:
        apply_change(load_scenario("baseline_1952"), control, raw)
    assert path in caught.value.problems[0] and expected in caught.value.problems[0]


def test_an_accepted_value_changes_exactly_that_parameter():
    base = load_scenario("baseline_1952")
    control = next(c for c in controls() if c.path == "office.staff")
    changed = apply_change(base, control, "16")
    assert changed.office.staff == 16
    assert changed.model_dump(exclude={"office"}) == base.model_dump(exclude={"office"})


def test_views_follow_the_model():
    model = TechTransferModel("baseline_1952")
    before = views.headline(model)
    for _ in range(30):
        model.step()
    after = views.headline(model)
    assert after["Date"] > before["Date"] and after["Requests made"] > before["Requests made"] == 0
    assert after == _headline_from_frame(model)
    sample = views.enterprise_sample(model)
    assert len(sample[0]) == views.SAMPLE_SIZE
    assert views.enterprise_sample(model)[0].nodes == sample[0].nodes  # fixed for the seed
    figures = views.ExploreFigures(model, sample)
    pictures = figures.update(model)
    assert set(pictures) == {"channel", "enterprises", "series"} == set(figures.widths())
    assert all(layer.startswith(b"\x89PNG") for layers in pictures.values() for layer in layers)
    assert composite(pictures["series"]).shape[:2] == figures.series.mosaic.size[::-1]
    assert figures.headline == after
    assert all(ax.get_title() and ax.get_ylabel() for ax in figures.series.axes)
    assert figures.channel.date.get_text() == figures.enterprises.date.get_text() == model.date.isoformat()


def test_the_pointer_over_a_panel_shows_the_values_on_the_date_under_it():
    """The series picture's pixels map to a panel and a date; the readout is that row of the table."""
    from sim.dashboard.views import _year

    model = TechTransferModel("baseline_1952")
    for _ in range(60):
        model.step()
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    figures.update(model)
    table = model.datacollector.model_vars
    dates, width, height = table["date"], *figures.series.mosaic.rows[0][0].agg.get_width_height()
    for panel in figures.series.panels:
        left, top = (panel.index % views.PANELS_A_ROW) * width, (panel.index // views.PANELS_A_ROW) * height
        for step in (0, 17, len(dates) - 2):
            between = (_year(dates[step]) + _year(dates[step + 1])) / 2  # after the step's date, before the next
            x, _ = panel.ax.transData.transform((between, 0))
            lines = figures.readout_at(model, left + x, top + height / 2).splitlines()
            assert lines[:2] == [panel.title, str(dates[step])[:10]]
            shown = dict(line.rsplit(": ", 1) for line in lines[2:])
            assert list(shown) == panel.labels
            for label, column in zip(panel.labels, panel.chart.drawn, strict=True):
                value = float(table[column][step])  # whole numbers with separators, shares to three decimals
                near = 0.501 if value >= 100 else 5.01e-4  # half the last digit shown
                if shown[label] == "-":  # none yet (no request delivered: no lead time)
                    assert np.isnan(value), (label, value)
                else:
                    assert float(shown[label].replace(",", "")) == pytest.approx(value, abs=near)
        assert figures.readout_at(model, left + 1, top + 1).splitlines()[1] == str(dates[0])[:10]  # left of the data
        assert figures.readout_at(model, left + width - 1, top + 1).splitlines()[1] == model.date.isoformat()
    (supplied,) = [p for p in figures.series.panels if p.chart.name == "sets_supplied"]
    x, _ = supplied.ax.transData.transform(((_year(dates[30]) + _year(dates[31])) / 2, 0))
    left, top = (supplied.index % views.PANELS_A_ROW) * width, (supplied.index // views.PANELS_A_ROW) * height
    value = table["sets_supplied_typical_designs"][30]
    assert f"Typical designs: {value:,.0f}" in figures.readout_at(model, left + x, top + 5).splitlines()
    size = figures.series.mosaic.size
    assert figures.readout_at(model, -1, 5) == figures.readout_at(model, 5, size[1] + 1) == ""
    assert figures.readout_at(model, size[0] + 1, 5) == ""
    assert figures.channel.date.get_text() == figures.enterprises.date.get_text() == model.date.isoformat()


def _headline_from_frame(model: TechTransferModel) -> dict:
    """The headline figures read the slow way, from the whole time-series frame."""
    last = model.datacollector.get_model_vars_dataframe().iloc[-1]
    return {
        "Date": model.date.isoformat(),
        "Requests made": int(last["requests_created"]),
        "Requests delivered": int(last["requests_fulfilled"]),
        "Sets supplied": int(sum(last[f"sets_supplied_{c}"] for c in CATEGORIES)),
        "Office queue": int(last["office_queue"]),
        "Technology index": round(float(last["technology_index"]), 3),
    }


def _state(figures: views.ExploreFigures) -> dict:
    """What the figures show: every line's data, the stacked areas, node sizes and colours, texts."""
    panels = figures.series.panels
    return {
        "x": [np.asarray(line.get_xdata(), dtype=float) for panel in panels for line in panel.lines],
        "lines": [np.asarray(line.get_ydata(), dtype=float) for panel in panels for line in panel.lines],
        "stack": [polygon.get_paths()[0].vertices.copy() for panel in panels for polygon in panel.stack],
        "sizes": [drawn.get_sizes().copy() for _, drawn in figures.channel.nodes.values()],
        "counts": [count.get_text() for count in figures.channel.counts.values()],
        "colours": figures.enterprises.drawn.get_array().copy(),
        "dates": [figures.channel.date.get_text(), figures.enterprises.date.get_text()],
        "events": [[text.get_text() for text in panel.ax.texts] for panel in panels],
    }


def test_figures_updated_step_by_step_show_what_fresh_figures_show():
    """Kept figures, updated at every step, show the data of figures built at the end; cached layers are not stale."""
    model = TechTransferModel("baseline_1952")
    sample = views.enterprise_sample(model)
    kept = views.ExploreFigures(model, sample)
    model.run_until("1953-06-30")
    for _ in range(80):  # through the 1954 agreement: an event line, a channel that opens, growing axes
        model.step()
        pictures = kept.update(model)
    fresh = views.ExploreFigures(model, sample)
    fresh.update(model)
    ours, theirs = _state(kept), _state(fresh)
    for key in ours:
        np.testing.assert_equal(ours[key], theirs[key], err_msg=key)
    assert kept.series.marked == len(views.fired_events(model)) > 0
    assert ours["events"][0] == [str(n) for n in range(1, len(views.fired_events(model)) + 1)]
    assert kept.series.events == views.fired_events(model)
    for canvas in kept.canvases().values():
        canvas.invalidate()  # draw every layer again from the figures as they stand
    for name, layers in kept.pictures().items():
        assert np.array_equal(composite(layers), composite(pictures[name])), name


def test_layers_one_on_another_show_the_whole_figure():
    """The layers, composited as the browser does, are matplotlib's own drawing of the figure.

    Dropping any layer that has something on it makes at least 0.4 % of the pixels
    differ by more than 32 levels; the layers in place leave (almost) none.
    """
    model = TechTransferModel("baseline_1952")
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    model.run_until("1955-06-30")
    figures.update(model)
    for name, canvas in figures.canvases().items():
        layers = canvas.layers()
        difference = np.abs(composite(layers).astype(int) - canvas.full_render().astype(int)).max(axis=2)
        assert (difference > 32).mean() < 0.0005, name
        assert canvas.names[0] == "still" and len(layers) == len(canvas.names)


def test_png_is_lossless_and_unchanged_layers_keep_their_bytes():
    from PIL import Image

    rng = np.random.default_rng(1)
    for channels in (3, 4):
        pixels = rng.integers(0, 256, size=(7, 5, channels), dtype=np.uint8)
        decoded = np.asarray(Image.open(io.BytesIO(png(pixels))))
        assert np.array_equal(decoded, pixels)
    model = TechTransferModel("baseline_1952")
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    model.run_until("1957-06-30")
    first = figures.update(model)
    draws = {name: canvas.full_draws for name, canvas in figures.canvases().items()}
    model.step()
    second = figures.update(model)
    assert second["channel"][0] is first["channel"][0]  # the still picture: not drawn, not encoded, not sent
    assert second["series"][0] is first["series"][0]
    assert second["channel"][-1] != first["channel"][-1]  # the moving layer follows the model
    assert {name: canvas.full_draws for name, canvas in figures.canvases().items()} == draws


def test_time_axes_cover_the_data_and_never_move():
    model = TechTransferModel("baseline_1952")
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    limits = [ax.get_xlim() for ax in figures.series.axes]
    while not model.finished:
        for _ in range(20):
            if not model.finished:
                model.step()
        figures.update(model)
        ts = model.datacollector.get_model_vars_dataframe()
        stacked = sum(ts[column] for column in views.PANELS[0].columns)
        assert figures.series.axes[0].get_ylim()[1] >= stacked.max()
        for i, chart in enumerate(views.PANELS[1:], start=1):
            top = max(float(np.nanmax(ts[column].to_numpy(dtype=float), initial=0)) for column in chart.drawn)
            assert figures.series.axes[i].get_ylim()[1] >= top, chart.title
        assert [ax.get_xlim() for ax in figures.series.axes] == limits
    assert limits[0][0] <= 1952.75 and limits[0][1] >= 1962.9
    # the still pictures are drawn once a run: growing axes and events redraw only their own layers
    assert all(canvas.full_draws == 1 for canvas in figures.canvases().values())


@pytest.mark.parametrize(("top", "expected"), [(3, 5), (5.1, 8), (8.1, 20), (95, 200), (0.4, 0.6)])
def test_headroom_shows_the_top_with_room_to_spare(top, expected):
    assert views.headroom(top) == pytest.approx(expected)
    assert views.headroom(top) >= 1.5 * top


def test_closed_channels_are_drawn_dashed():
    model = TechTransferModel("baseline_1952")  # the commission is closed until the 1954 agreement
    view = views.ChannelView(model)

    def dashed() -> list:
        return [c for c in view.edges if c.get_linestyle()[0][1]]

    assert dashed(), "the closed commission channel should be drawn dashed"
    model.run_until("1955-06-30")
    view.update(model)
    assert not dashed(), "after the 1954 agreement the commission is open"


def test_dashboard_binds_to_loopback_by_default():
    from sim.cli import build_parser

    args = build_parser().parse_args(["dashboard"])
    assert (args.host, args.port) == ("127.0.0.1", 8765)


def test_bad_port_is_one_line_and_exit_2():
    done = subprocess.run(
        [sys.executable, "-m", "sim", "dashboard", "--port", "70000"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2 and "--port 70000" in done.stderr and "Traceback" not in done.stderr


# -- English and 中文 -------------------------------------------------------------------------

#: A Latin word (two letters or more): in Chinese mode the figures show none.
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _texts(figure) -> set[str]:
    """Every non-empty text a matplotlib figure draws: titles, labels, legends, tick labels, notes."""
    from matplotlib.text import Text

    figure.canvas.draw()  # makes the tick labels
    return {text.get_text() for text in figure.findobj(Text) if text.get_visible() and text.get_text().strip()}


def _figure_texts(figures: views.ExploreFigures) -> set[str]:
    return set().union(*(_texts(canvas.figure) for canvas in figures.canvases().values()))


def _string_constants(*paths: Path) -> set[str]:
    """Every string literal in the given Python files."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def library_texts() -> set[str]:
    """The titles, questions and event labels of the library's scenarios: what the page shows of them."""
    from sim.scenario import library, load_scenario

    texts = set()
    for name in library():
        scenario = load_scenario(name)
        texts |= {scenario.title, scenario.question} | {event.label for event in scenario.events if event.label}
    return texts


def test_the_library_scenarios_texts_are_in_chinese_and_a_users_own_stay_as_written():
    from sim.dashboard.i18n import ZH, translator

    tr = translator("zh")
    assert len(library_texts()) > 30
    assert [text for text in library_texts() if text not in ZH or LATIN_WORD.fullmatch(tr(text))] == []
    assert tr("My own what-if") == "My own what-if"


def test_every_chinese_text_is_used_and_the_figures_show_no_english():
    from sim.catalog import AGENCIES, CATEGORY_LABELS, CHANNEL_LABELS, SECTORS
    from sim.dashboard.i18n import ZH, translator
    from sim.outputs import FIGURES_BY_NAME

    assert all(text.strip() and text != english for english, text in ZH.items())
    model = TechTransferModel("baseline_1952")
    sample = views.enterprise_sample(model)
    model.run_until("1955-06-30")  # events marked, both channels open
    english = views.ExploreFigures(model, sample)
    english.update(model)
    drawn_in_english = _figure_texts(english)
    shown = (
        _string_constants(*(ROOT / "sim" / "dashboard").glob("*.py"), ROOT / "sim" / "compare.py")
        | drawn_in_english
        | {f"{name.capitalize()} figure (PNG)" for name in english.pictures()}
        | set(english.headline)
        | {figure.label for figure in FIGURES_BY_NAME.values()}
        | {figure.unit for figure in FIGURES_BY_NAME.values()}
        | set(CATEGORY_LABELS.values())
        | set(CHANNEL_LABELS.values())
        | {sector.label for sector in SECTORS}
        | {agency.label for agency in AGENCIES}
        | {agency.short for agency in AGENCIES}
        | {control.plain_label for control in teaching_controls()}
        | {word for control in teaching_controls() for word in control.teaching["choices"].values()}
        | {section.capitalize() for section in sections()}
        | library_texts()
    )
    assert sorted(set(ZH) - shown) == []  # no text translated that the page never shows
    chinese = views.ExploreFigures(model, sample, language="zh")
    chinese.update(model)
    drawn_in_chinese = _figure_texts(chinese)
    cited = re.compile("|".join(mark.row for chart in views.PANELS for mark in records(chart)))  # row ids
    words = {text for text in drawn_in_english if LATIN_WORD.search(cited.sub("", text))}
    assert len(words) > 40  # the English figures do have words
    assert [text for text in drawn_in_chinese if text in words or LATIN_WORD.search(cited.sub("", text))] == []
    expected = {"渠道 (2)", "产品标准", "技术经济定额", "在途请求（按阶段）", "年份（刻度为 1 月 1 日）"}
    assert expected <= drawn_in_chinese
    assert views.headline(model).keys() <= ZH.keys()
    tr = translator("zh")
    assert tr("Step") == "单步" and translator("en")("Step") == "Step" and tr("not a known text") == "not a known text"
    with pytest.raises(ValueError, match="choose one of en, zh"):
        translator("fr")


def test_the_comparisons_figures_and_table_in_chinese_show_no_english():
    from sim.compare import compare
    from sim.dashboard.app import comparison_table, translated
    from sim.dashboard.i18n import translator

    tr = translator("zh")
    labels = ("A: baseline_1952", "B: no_commission")
    comparison = compare(
        load_scenario("baseline_1952"), load_scenario("no_commission"), seed=1, until="1953-06-30", labels=labels
    )
    for key, figure in comparison.figures().items():
        if key in {"sets_supplied", "adoption", "queues"}:  # the three the page shows
            texts = _texts(translated(figure, tr)) - set(labels)
            assert [text for text in texts if LATIN_WORD.search(text)] == [], key
    table = comparison_table(comparison, tr)
    assert list(table.columns)[:2] == ["指标", "单位"]
    assert [text for text in table["指标"].tolist() + table["单位"].tolist() if LATIN_WORD.search(text)] == []


def test_chinese_figures_draw_their_glyphs_in_the_cjk_font(cjk_font):
    """The figures find WenQuanYi Micro Hei (CI installs it) and draw 资料 as characters, not empty boxes."""
    import warnings

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from sim.dashboard.i18n import FONTS

    def drawn(text: str, family: list[str]) -> np.ndarray:
        figure = Figure(figsize=(1, 0.4), dpi=100)
        figure.text(0.5, 0.5, text, family=family, ha="center", va="center", fontsize=14)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba())[..., 0] < 128

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DejaVu Sans alone warns of its missing glyphs
        boxes = drawn("资料", ["DejaVu Sans"]), drawn("料资", ["DejaVu Sans"])
    assert np.array_equal(*boxes)  # missing glyphs: the same two boxes whatever the characters
    glyphs = drawn("资料", FONTS), drawn("料资", FONTS)
    assert not np.array_equal(*glyphs) and not np.array_equal(glyphs[0], boxes[0])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = TechTransferModel("baseline_1952")
        figures = views.ExploreFigures(model, views.enterprise_sample(model), language="zh")
        figures.update(model)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []


def test_without_the_cjk_font_the_chinese_figures_still_draw(monkeypatch):
    """A machine without WenQuanYi Micro Hei: matplotlib warns of the font and of missing glyphs, and draws on."""
    import warnings

    import sim.drawing

    monkeypatch.setattr(sim.drawing, "FONTS", ["DejaVu Sans", "No Such Font Ziliao"])
    model = TechTransferModel("baseline_1952")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figures = views.ExploreFigures(model, views.enterprise_sample(model), language="zh")
        pictures = figures.update(model)
    assert all(layer.startswith(b"\x89PNG") for layers in pictures.values() for layer in layers)
    assert figures.channel.ax.title.get_fontfamily() == ["DejaVu Sans", "No Such Font Ziliao"]


# -- the app in a browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with serving(["dashboard", "--port", str(port)], url, tmp_path_factory.mktemp("dashboard") / "server.log"):
        yield url


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=HANG_S * 1000)  # Playwright's 5 s a busy machine can reach: only a hang ends a wait
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


#: Each figure's layers (images), by the figure's class: their boxes on the page as (x, y, width, height).
STACKED_LAYERS_JS = """
() => Object.fromEntries([...document.querySelectorAll('.layers')].map(figure => [
  [...figure.classList].find(c => c.startsWith('figure-')),
  [...figure.querySelectorAll('img')].map(img => {
    const box = img.getBoundingClientRect();
    return [box.x, box.y, box.width, box.height].map(Math.round).join(',');
  }).map(box => box.split(',').map(Number)),
]))
"""


def open_page(browser, url, viewport=(1500, 1000)):
    page = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, accept_downloads=True).new_page()
    page.set_default_timeout(HANG_S * 1000)  # a hang guard, not a limit a busy machine could reach
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for()
    page.locator(".headline-date").wait_for()  # the figures are built
    return page


def wait_ready(page) -> None:
    """Wait until the model and its figures are built (the busy note gone, the headline shown)."""
    page.locator(".zl-busy").wait_for(state="detached")
    page.locator(".headline-date").wait_for()


def date_shown(page) -> str:
    return page.locator(".model-date").inner_text()


def assert_no_error(page) -> None:
    text = page_text(page)
    for sign in ("Traceback", "RuntimeError", "Too many renders", "Error:"):
        assert sign not in text, text[-2000:]


def test_explore_step_compare_and_screenshot(browser, server, tmp_path):
    page = open_page(browser, server)
    assert "step 0 of 539" in date_shown(page)

    page.locator(".zl-side .v-select").first.click()
    page.get_by_role("option", name="office_doubled").click()
    # The scenario's name in the title comes in the same render as the busy note (the
    # question's text may already be on the page, in the chooser's list).
    page.locator(".zl-scenario-name", has_text="office_doubled").wait_for()
    page.get_by_text("twice the staff").first.wait_for()
    wait_ready(page)

    page.get_by_text("Office", exact=True).click()
    staff = page.get_by_label("Staff (persons)").first
    staff.fill("-5")
    staff.press("Enter")
    error = page.locator(".control-error").first
    error.wait_for()
    assert "office.staff" in error.inner_text() and "The run keeps 48" in error.inner_text()
    from playwright.sync_api import expect

    # The app keeps working. Asked the instant the refusal shows, Playwright sometimes
    # found the button not yet enabled while the page was patched (the DOM's button was
    # never disabled when watched); expect() asks again until the page settles.
    expect(page.get_by_role("button", name="Step", exact=True)).to_be_enabled()

    staff.fill("12")
    staff.press("Enter")
    page.locator(".control-error").first.wait_for(state="detached")  # the old error is cleared
    page.locator(".zl-what-changed", has_text="Staff at the Counsellor's Office (persons): 48 → 12").wait_for()
    page.get_by_text("changed (scenario: 48)").first.wait_for()
    wait_ready(page)
    made_before = page.locator(".headline-requests-made").inner_text()
    for i in range(10):
        page.get_by_role("button", name="Step").click()
        page.get_by_text(f"(step {i + 1} of 539)").wait_for()
    assert "Date: 1952-11-15" in date_shown(page)
    page.locator(".headline-date", has_text="1952-11-15").wait_for()  # the figures follow the date line
    boxes = page.evaluate(STACKED_LAYERS_JS)
    assert set(boxes) == {"figure-channel", "figure-enterprises", "figure-series"}
    for name, layers in boxes.items():  # every layer of a figure lies on the others, at the size of the figure
        assert len(layers) >= 2 and len({tuple(box) for box in layers}) == 1 and layers[0][2] > 300, (name, layers)
    made_after = page.locator(".headline-requests-made").inner_text()
    assert int(made_after.replace(",", "")) > int(made_before.replace(",", "")) == 0
    page.screenshot(path=str(tmp_path / "explore.png"))

    page.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_text("office_doubled (Staff at the Counsellor's Office (persons): 48 → 12)").first.wait_for()
    run = page.get_by_role("button", name="Run comparison")
    run.click()
    page.get_by_text("Requests fulfilled").first.wait_for()  # the figures' labels, not their keys
    assert run.is_enabled()
    page.get_by_text("B: no_commission").first.wait_for()
    assert "requests_fulfilled" not in page_text(page)
    page.screenshot(path=str(tmp_path / "compare.png"), full_page=True)
    assert (tmp_path / "compare.png").stat().st_size > 10_000

    page.get_by_role("button", name="About", exact=True).click()
    for heading in (
        "What is it?",
        "How it works",
        "How to use it",
        "Things to notice",
        "Things to try",
        "Extending the model",
        "Sources",
    ):
        page.get_by_role("heading", name=heading).wait_for()
    page.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_text("Requests fulfilled").first.wait_for()  # the comparison is kept across tabs
    assert_no_error(page)


def test_two_sessions_do_not_share_state(browser, server):
    first = open_page(browser, server)
    for i in range(3):
        first.get_by_role("button", name="Step").click()
        first.get_by_text(f"(step {i + 1} of 539)").wait_for()
    second = open_page(browser, server)
    assert "step 0 of 539" in date_shown(second)
    assert "step 3 of 539" in date_shown(first)


@pytest.fixture
def busy_machine():
    """Two CPU-bound processes beside the server and the browser, as on a teacher's laptop running other things."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    yield burners
    for burner in burners:
        burner.kill()
        burner.wait(timeout=HANG_S)


@pytest.mark.parametrize("speed", ["slowest", "default"])
def test_play_animates_and_pause_holds_on_a_busy_machine(browser, server, busy_machine, speed):
    """Play moves the date shown again and again, Pause stops it, and the page never shows an error."""
    page = open_page(browser, server)
    slider = page.locator(".zl-speed [role=slider]")
    if speed == "slowest":
        slider.focus()
        slider.press("Home")
        page.get_by_text("Speed: 1 steps a frame").wait_for()
    else:
        page.get_by_text("Speed: 13 steps a frame").wait_for()
    page.get_by_role("button", name="Play").click()
    seen = [date_shown(page)]
    for _ in range(5):  # the date moves, frame after frame (waits for a change; never times one)
        page.wait_for_function("before => document.querySelector('.model-date').innerText !== before", arg=seen[-1])
        seen.append(date_shown(page))
        assert_no_error(page)
    assert len(set(seen)) == len(seen)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    page.locator(".play-clock[data-playing=no]").wait_for(state="attached")
    held = date_shown(page)
    page.wait_for_timeout(3000)  # long enough for several frames, had Pause not held
    assert date_shown(page) == held
    page.locator(".headline-date", has_text=held.split()[1]).wait_for()  # the figures show the date paused at
    assert_no_error(page)
    page.get_by_role("button", name="Play").click()  # and it plays on from there
    page.wait_for_function("before => document.querySelector('.model-date').innerText !== before", arg=held)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for()
    assert_no_error(page)


#: Whether an element is in the viewport and on top at its centre (not covered by a drawer or anything else).
ON_TOP_JS = """
element => {
  const box = element.getBoundingClientRect();
  const x = box.x + box.width / 2, y = box.y + Math.min(box.height / 2, 40);
  const inside = box.width > 0 && box.height > 0 && box.x >= 0 && box.y >= 0
    && box.x + box.width <= window.innerWidth + 1 && y <= window.innerHeight;
  const top = document.elementFromPoint(x, y);
  return inside && (element === top || element.contains(top) || (top !== null && top.contains(element)));
}
"""


@pytest.mark.parametrize(
    ("viewport", "language"), [((1024, 768), "en"), ((1280, 720), "en"), ((1440, 900), "en"), ((1024, 768), "zh")]
)
def test_projector_layout_shows_run_controls_and_a_figure_together(browser, server, viewport, language):
    from sim.dashboard.i18n import translator

    tr = translator(language)
    page = open_page(browser, server, viewport)
    if language != "en":
        page.get_by_role("button", name="中文", exact=True).click()
        page.get_by_role("button", name=tr("Step"), exact=True).wait_for()
        wait_ready(page)
    controls = {
        "Step": page.get_by_role("button", name=tr("Step")),
        "Play": page.get_by_role("button", name=tr("Play")),
        "Reset": page.get_by_role("button", name=tr("Reset"), exact=True),
        "speed": page.locator(".zl-speed"),
        "speed number": page.get_by_text(tr("Speed: {n} steps a frame").format(n=13)),
        "until": page.get_by_label(tr("Play until (YYYY-MM-DD)")),
        "date": page.locator(".model-date"),
        "figure": page.locator(".figure-channel img").last,
        "first key parameter": page.locator(".zl-teaching"),
    }
    for name, element in controls.items():
        assert element.evaluate(ON_TOP_JS), f"{name} is not in view and on top at {viewport} ({language})"
    track = page.locator(".zl-speed .v-slider-track").first.bounding_box()  # a slider, not a dot beside its label
    assert track is not None and track["width"] >= 100, track
    for label in (".zl-runbar .v-label", ".zl-side .v-btn__content"):  # labels and buttons shown whole
        assert page.locator(label).count() > 0, label
        cut = page.locator(label).evaluate_all("es => es.filter(e => e.scrollWidth > e.clientWidth + 1).length")
        assert cut == 0, f"{cut} of {label} cut at {viewport} ({language})"
    title = page.locator(".zl-brand")
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the title is cut"


#: The smallest text of each figure on screen, in CSS pixels, by the figure's class: the smallest text
#: in the picture's own pixels (``data-font-px``) times the shown width over the picture's width.
SMALLEST_TEXT_JS = """
() => Object.fromEntries([...document.querySelectorAll('.layers')].map(figure => {
  const img = figure.querySelector('img');
  const shown = Number(figure.dataset.fontPx) * img.getBoundingClientRect().width / img.naturalWidth;
  return [[...figure.classList].find(c => c.startsWith('figure-')), Math.round(shown * 100) / 100];
}))
"""


@pytest.mark.parametrize("viewport", [(1024, 768), (1280, 720), (1440, 900)])
def test_every_figures_smallest_text_is_at_least_12_pixels_on_screen(browser, server, viewport):
    page = open_page(browser, server, viewport)
    page.wait_for_function("[...document.querySelectorAll('.layers img')].every(i => i.complete && i.naturalWidth)")
    shown = page.evaluate(SMALLEST_TEXT_JS)
    assert set(shown) == {"figure-channel", "figure-enterprises", "figure-series"}
    small = {name: px for name, px in shown.items() if not px >= 12}
    assert not small, f"text under 12 px on screen at {viewport}: {small} (all: {shown})"


def test_the_pointer_over_a_panel_shows_the_values_on_the_date_under_it_in_the_page(browser, server):
    """Played to mid-1954, a pointer early on a panel's time axis shows an early date, at its right end the last."""
    from sim.dashboard.views import PANEL_LEFT, PANELS_A_ROW

    page = open_page(browser, server, (1024, 768))
    until = page.get_by_label("Play until (YYYY-MM-DD)")
    until.fill("1954-06-30")
    until.press("Enter")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("document.querySelector('.model-date').innerText.split(' ')[1] >= '1954-06-30'")
    page.locator(".play-clock[data-playing=no]").wait_for(state="attached")
    expect_date = date_shown(page).split()[1]
    page.locator(".headline-date", has_text=expect_date).wait_for()
    assert "1954-06-30" <= expect_date < "1954-07-31"
    hover = page.locator(".figure-series .zl-hover")  # the top panels in view, below the sticky run bar
    hover.evaluate("e => { e.scrollIntoView({block: 'start'}); document.querySelector('.zl-main').scrollBy(0, -300); }")
    box = hover.bounding_box()
    natural = page.locator(".figure-series img").first.evaluate("i => i.naturalWidth")
    scale, tile = box["width"] / natural, natural / PANELS_A_ROW

    def tip_at(x: float, y: float) -> list[str]:
        """Move the pointer to (x, y) pixels of the series picture; the tip's lines once it shows that place."""
        before = page.locator(".zl-tip").all_inner_texts()
        page.mouse.move(box["x"] + x * scale, box["y"] + y * scale)
        page.wait_for_function(
            "before => { const t = document.querySelector('.zl-tip'); return t && t.innerText !== before; }",
            arg=before[0] if before else "",
        )
        return page.locator(".zl-tip").inner_text().splitlines()

    early = tip_at(PANEL_LEFT + 6, 150)
    assert "1952-09-06" <= early[1] < "1953-06-01", early
    assert len(early) >= 3 and all(": " in line for line in early[2:]), early
    late = tip_at(tile - 4, 150)
    assert late[1] == expect_date and late[0] == early[0], late
    other = tip_at(tile + PANEL_LEFT + 6, 150)  # the second panel: its own title and lines
    assert other[0] != early[0] and "1952-09-06" <= other[1] < "1953-06-01", other
    point = page.evaluate("([x, y]) => document.elementFromPoint(x, y).className", [box["x"] + 200, box["y"] + 150])
    assert "zl-hover" in point, point  # the hover sits on top of the pictures
    page.get_by_role("button", name="Reset", exact=True).hover()
    page.locator(".zl-tip").wait_for(state="detached")
    assert_no_error(page)


def test_scenario_download_upload_and_take_away_files(browser, server, tmp_path):
    from playwright.sync_api import expect

    page = open_page(browser, server)
    page.get_by_text("Office", exact=True).click()
    staff = page.get_by_label("Staff (persons)").first
    staff.fill("12")
    staff.press("Enter")
    page.locator(".zl-what-changed", has_text="24 → 12").wait_for()
    seed = page.get_by_label("Seed")
    seed.fill("12x")
    seed.press("Enter")
    page.locator(".seed-error", has_text="the run keeps seed 1952").wait_for()  # never silently replaced
    seed.fill("77")
    seed.press("Enter")
    page.locator(".seed-error").wait_for(state="detached")
    page.locator(".zl-what-changed", has_text="seed: 1952 → 77").wait_for()
    wait_ready(page)
    with page.expect_download() as caught:
        page.get_by_text("Download scenario (TOML)").click()
    saved = tmp_path / "mine.toml"
    caught.value.save_as(saved)
    scenario = read_uploaded(saved.name, saved.read_bytes())
    assert (scenario.office.staff, scenario.seed) == (12, 77)

    page.get_by_role("button", name="Step").click()
    page.get_by_text("(step 1 of 539)").wait_for()
    with page.expect_download() as caught:
        page.get_by_text("Time series (CSV)").click()
    csv = tmp_path / "series.csv"
    caught.value.save_as(csv)
    lines = csv.read_text().splitlines()
    assert lines[0].startswith("step,date,") and len(lines) == 3  # the start and one step
    with page.expect_download() as caught:
        page.get_by_text("Series figure (PNG)").click()
    picture = tmp_path / "series.png"
    caught.value.save_as(picture)
    assert picture.read_bytes().startswith(b"\x89PNG")

    page.get_by_role("button", name="Reset values").click()
    page.locator(".zl-what-changed").wait_for(state="detached")
    page.locator(".scenario-upload input").set_input_files(str(saved))
    page.get_by_text("Staff at the Counsellor's Office (persons): 12").wait_for()
    expect(page.get_by_label("Seed")).to_have_value("77")

    bad = tmp_path / "bad.toml"
    bad.write_text(saved.read_text().replace("staff = 12", "staff = -3", 1))
    page.locator(".scenario-upload input").set_input_files(str(bad))
    refused = page.locator(".upload-error")
    refused.wait_for()
    assert "bad.toml: office.staff" in refused.inner_text() and "1 to 1000" in refused.inner_text()
    assert "Traceback" not in page_text(page)


#: The record's figures the sets-supplied chart draws: rows of data/history_targets.csv, cumulative, at the end
#: of their periods: each kind's 1953-62 total, and all five kinds at the end of each plan (19,671 + 60,329).
SETS_RECORD = {
    "designs_1953_62": ("sets_supplied_typical_designs", "1962-12-31", 9_039),
    "drawings_1953_62": ("sets_supplied_blueprints", "1962-12-31", 31_667),
    "techdocs_1953_62": ("sets_supplied_operating_procedures", "1962-12-31", 8_550),
    "sectoral_1953_62": ("sets_supplied_norms", "1962-12-31", 28_982),
    "sets_total_1953_57_derived": ("sets_supplied_all", "1957-12-31", 19_671),
    "sets_total_1958_62": ("sets_supplied_all", "1962-12-31", 80_000),
}
SETS_LABELS = [
    "designs_1953_62: 9,039",
    "drawings_1953_62: 31,667",
    "techdocs_1953_62: 8,550",
    "sectoral_1953_62: 28,982",
    "sets_total_1953_57_derived: 19,671",
    "sets_total_1958_62: +60,329 = 80,000",
]


def test_the_sets_supplied_panel_and_run_figure_draw_the_record_beside_the_model():
    import matplotlib.pyplot as plt
    import pandas as pd

    from sim.plots import draw_chart

    chart = CHARTS["sets_supplied"]
    assert {mark.row: (mark.column, mark.date, mark.value) for mark in records(chart)} == SETS_RECORD
    model = TechTransferModel("baseline_1952")
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    (panel,) = [panel for panel in figures.series.panels if panel.chart is chart]
    diamonds = [line for line in panel.ax.get_lines() if line.get_marker() == "D" and len(line.get_xdata())]
    assert sorted((float(d.get_xdata()[0]), float(d.get_ydata()[0])) for d in diamonds) == sorted(
        (views.years([date])[0], value) for _, date, value in SETS_RECORD.values()
    )
    assert panel.ax.get_ylim()[1] > 80_000  # the record in view from the start
    # A panel is too small for labels (they covered the lines and ran off its edge): its diamonds are named,
    # in their lines' colours, with each row's grade, in the key under the panels.
    assert not [text for text in panel.ax.texts if text.get_text() in SETS_LABELS]
    colour = {label: to_hex(line.get_color()) for label, line in zip(panel.labels, panel.lines, strict=True)}
    assert figures.record_key() == [
        (colour["Typical designs"], "designs_1953_62 (B): 9,039 sets, 1953-62"),
        (colour["Manufacturing blueprints"], "drawings_1953_62 (B): 31,667 sets, 1953-62"),
        (colour["Technical operating procedures"], "techdocs_1953_62 (B): 8,550 sets, 1953-62"),
        (colour["Technical-economic norms"], "sectoral_1953_62 (B): 28,982 sets, 1953-62"),
        (colour["All five kinds"], "sets_total_1953_57_derived (B): 19,671 sets, 1953-57"),
        (colour["All five kinds"], "sets_total_1958_62 (B): 60,329 sets, 1958-62 (80,000 in all)"),
    ]
    assert "Record, end of period" in [t.get_text() for t in panel.ax.get_legend().get_texts()]
    chinese = views.ExploreFigures(model, views.enterprise_sample(model), language="zh")
    (panel,) = [panel for panel in chinese.series.panels if panel.chart is chart]
    assert "史料记载（期末）" in [t.get_text() for t in panel.ax.get_legend().get_texts()]
    dates = pd.date_range("1953-01-01", "1962-12-31", freq="QS")
    ts = pd.DataFrame({column: range(len(dates)) for column in chart.drawn}, index=dates)
    figure, ax = plt.subplots()
    draw_chart(ax, ts, chart)
    assert {text.get_text() for text in ax.texts} == set(SETS_LABELS)
    run_diamonds = [line for line in ax.get_lines() if line.get_marker() == "D" and len(line.get_xdata())]
    assert sorted((pd.Timestamp(d.get_xdata()[0]), float(d.get_ydata()[0])) for d in run_diamonds) == sorted(
        (pd.Timestamp(date), value) for _, date, value in SETS_RECORD.values()
    )
    figure.canvas.draw()
    boxes = [text.get_bbox_patch().get_window_extent() for text in ax.texts]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    plt.close(figure)


def test_the_channel_figure_names_each_column_with_its_count_and_every_agency():
    from sim.catalog import AGENCIES

    model = TechTransferModel("baseline_1952")
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    texts = _texts(figures.channel.figure)
    enterprises = model.config.soviet.enterprises_per_agency * len(AGENCIES)
    columns = ["Chinese ministries (8)", "Channels (2)", "Soviet agencies (11)", f"Soviet enterprises ({enterprises})"]
    assert set(columns) <= texts
    assert {agency.short for agency in AGENCIES} <= texts
    # each agency's enterprises drawn as one node beside it, counting their members' work
    kinds = Counter(kind for _, kind in figures.channel.graph.nodes(data="kind"))
    assert kinds == {"ministry": 8, "channel": 2, "agency": 11, "soviet_enterprise": 11}
    assert sum(n for _, n in figures.channel.graph.nodes(data="members")) == len(model.channel_network)
    model.run_until("1959-06-30")
    figures.update(model)
    for agency in model.agencies:
        work = sum(e.workload for e in model.soviet_enterprises if e.node.split(":")[1] == agency.node.split(":")[1])
        assert figures.channel.counts[f"soviet_enterprises:{agency.node.split(':')[1]}"].get_text() == f"({work})"
    assert any(text.get_text() not in {"(0)", ""} for text in figures.channel.counts.values())
    renderer = figures.channel.canvas.agg.get_renderer()
    figures.channel.canvas.full_render()
    width = figures.channel.figure.bbox.width
    boxes = [t.get_window_extent(renderer) for t in figures.channel.figure.findobj(Text) if t.get_text()]
    assert all(box.x0 >= -1 and box.x1 <= width + 1 for box in boxes)  # no name runs off the figure


def test_event_numbers_never_overprint_in_any_panel():
    """Every event of the baseline is numbered in each panel, and no two numbers of a panel overlap."""
    model = TechTransferModel("baseline_1952")
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    model.run_until("1962-12-31")
    figures.update(model)
    events = views.fired_events(model)
    assert len(events) >= 10 and len({e["date"][:7] for e in events}) < len(events)  # some share a month
    for panel in figures.series.panels:
        renderer = panel.canvas.agg.get_renderer()
        numbers = panel.ax.texts
        boxes = [text.get_window_extent(renderer) for text in numbers]
        assert [text.get_text() for text in numbers] == [str(n) for n in range(1, len(events) + 1)]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), panel.chart.title


#: The SHA-256 of the bytes an image element shows (the figures' layers are PNG blobs of the page's own origin).
IMAGE_SHA_JS = """
async element => {
  const bytes = await (await fetch(element.src)).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map(b => b.toString(16).padStart(2, '0')).join('');
}
"""


def test_the_language_switch_puts_the_page_its_figures_and_about_into_chinese_and_back(browser, server, tmp_path):
    import hashlib

    from playwright.sync_api import expect

    model = TechTransferModel("baseline_1952")  # the page's first model: the same channel figure, drawn here
    still = {
        language: hashlib.sha256(
            views.ExploreFigures(model, views.enterprise_sample(model), language).pictures()["channel"][0]
        ).hexdigest()
        for language in ("en", "zh")
    }
    assert still["en"] != still["zh"]
    channel_still = ".figure-channel img >> nth=0"

    page = open_page(browser, server)
    assert page.locator(channel_still).evaluate(IMAGE_SHA_JS) == still["en"]
    assert "WenQuanYi Micro Hei" in page.locator(".zl-brand").evaluate("e => getComputedStyle(e).fontFamily")

    page.get_by_role("button", name="中文", exact=True).click()
    page.get_by_role("button", name="单步", exact=True).wait_for()
    wait_ready(page)  # the figures are built again, in Chinese
    expect(page.get_by_role("button", name="播放", exact=True)).to_be_enabled()
    expect(page.get_by_role("button", name="重来", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Step", exact=True)).to_have_count(0)
    expect(page.locator(".zl-brand")).to_have_text("资料：苏联向中国提供的技术资料，1952—1962")
    expect(page.locator(".zl-card-label")).to_have_text(
        ["日期", "已提出的请求", "已交付的请求", "已提供的套数", "参赞处排队", "技术指数"]
    )
    expect(page.locator(".model-date")).to_have_text("日期：1952-09-06（第 0 步，共 539 步）")
    expect(page.locator(".series-title")).to_contain_text("（随机种子 1952）")
    page.get_by_text("渠道图（PNG）").wait_for()
    page.get_by_text("主要参数").wait_for()
    page.get_by_text("商务参赞处的人员（人）: 24").wait_for()
    page.get_by_text("参赞处", exact=True).wait_for()  # a section of all the parameters
    text = page_text(page)
    from sim.dashboard.i18n import ZH

    left = [english for english in ZH if " " in english.strip() and "{" not in english and english in text]
    assert left == [], left  # no interface text of the table shown in English
    assert page.locator(channel_still).evaluate(IMAGE_SHA_JS) == still["zh"]  # the figure's titles in Chinese
    page.screenshot(path=str(tmp_path / "zh.png"))
    page.get_by_role("button", name="单步", exact=True).click()
    page.get_by_text("（第 1 步，共 539 步）").wait_for()  # the Chinese page runs the model

    page.get_by_role("button", name="比较", exact=True).click()
    page.get_by_text("用同一随机种子比较").wait_for()
    until = page.get_by_label("两者都运行到（年-月-日）")
    until.fill("1953-06-30")
    until.press("Enter")
    page.get_by_role("button", name="运行比较").click()
    page.get_by_text("已完成的请求").first.wait_for()  # the table's figures, in Chinese
    page.get_by_role("columnheader", name="指标").wait_for()
    assert "Requests fulfilled" not in page_text(page)
    page.get_by_role("button", name="关于", exact=True).click()
    for heading in ("这是什么？", "模型如何运作", "如何使用", "值得注意的现象", "可以尝试", "扩展模型", "来源"):
        page.get_by_role("heading", name=heading).wait_for()
    assert "产品标准、典型设计、技术操作规程、制造图纸和技术经济定额" in page_text(page)

    page.get_by_role("button", name="English", exact=True).click()
    page.get_by_role("heading", name="What is it?").wait_for()  # the same tab, in English
    expect(page.get_by_role("heading", name="这是什么？")).to_have_count(0)
    page.get_by_role("button", name="Explore", exact=True).click()
    page.get_by_role("button", name="Step", exact=True).wait_for()
    wait_ready(page)
    expect(page.locator(".zl-card-label").first).to_have_text("Date")
    expect(page.locator(".model-date")).to_contain_text("(step 1 of 539)")  # the run kept its step
    assert "单步" not in page_text(page) and "中文" in page_text(page)
    assert_no_error(page)
