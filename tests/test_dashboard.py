"""The dashboard: schema-driven controls, its views, and the app in a real browser (Debian's chromium)."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from sim import load_scenario
from sim.catalog import CATEGORIES
from sim.dashboard import assets, views
from sim.dashboard.canvas import composite, png
from sim.dashboard.controls import apply_change, controls
from sim.model import TechTransferModel
from sim.params import iter_parameters
from sim.scenario import ScenarioError

ROOT = Path(__file__).parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# -- controls and views, without a browser ------------------------------------------------


def test_every_parameter_of_the_schema_has_a_control_with_its_unit_and_range():
    by_path = {c.path: c for c in controls()}
    for path, _info, extra in iter_parameters():
        matching = [c for p, c in by_path.items() if p == path or p.startswith(path + ".")]
        assert matching, f"no control for {path}"
        for control in matching:
            assert extra["unit"] in control.label
            assert control.low == extra["ge"] or extra["ge"] is None or control.low is not None
    staff = by_path["office.staff"]
    assert (staff.kind, staff.low, staff.high) == ("int", 1, 1000)
    assert by_path["office.discipline"].choices == ("fifo", "priority")
    assert by_path["soviet.approval.blueprints"].value_in(load_scenario("baseline_1952")) == 0.8


@pytest.mark.parametrize(
    ("path", "raw", "expected"),
    [
        ("office.staff", "-5", "greater than or equal to 1"),
        ("office.staff", "many", "not a number"),
        ("office.staff", "2.5", "not a whole number"),
        ("soviet.approval.blueprints", "1.5", "less than or equal to 1"),
        ("time.end", "1955-01-01", "outside the run"),
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
    assert composite(pictures["series"]).shape[:2] == (512, figures.widths()["series"])
    assert figures.headline == after
    assert all(ax.get_title() and ax.get_ylabel() for ax in figures.series.axes)
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
    assert ours["events"][0] == [event["label"] for event in views.fired_events(model)]
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
        stacked = sum(ts[column] for _, column in views.PANELS[0][2])
        assert figures.series.axes[0].get_ylim()[1] >= stacked.max()
        for i, (_, _, series) in enumerate(views.PANELS[1:], start=1):
            top = max(float(np.nanmax(ts[column].to_numpy(dtype=float), initial=0)) for _, column in series)
            assert figures.series.axes[i].get_ylim()[1] >= top, views.PANELS[i][0]
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


# -- the app in a browser ------------------------------------------------------------------


def _browser_missing() -> str | None:
    if not os.path.exists(CHROMIUM):
        return f"Debian's chromium is not installed ({CHROMIUM}); .ci/run installs it"
    if assets.missing():
        cache = assets.cache_dir()
        return f"Solara's front-end files are not cached in {cache}; run `python -m sim dashboard --fetch-assets`"
    return None


@pytest.fixture(scope="module")
def server():
    reason = _browser_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "sim", "dashboard", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the dashboard did not start: {process.stdout.read()[-2000:]}")
            time.sleep(0.5)
    yield url
    os.killpg(process.pid, 15)
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

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


def open_page(browser, url):
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_role("button", name="Step").wait_for()
    return page


def test_explore_step_compare_and_screenshot(browser, server, tmp_path):
    page = open_page(browser, server)
    assert "step 0 of 539" in page.locator(".model-date").inner_text()

    page.locator(".v-select").first.click()
    page.get_by_role("option", name="office_doubled").click()
    page.get_by_text("twice the staff").first.wait_for()

    page.get_by_text("Office", exact=True).click()
    staff = page.get_by_label("staff (persons)").first
    staff.fill("-5")
    staff.press("Enter")
    error = page.locator(".control-error").first
    error.wait_for()
    assert "office.staff" in error.inner_text() and "1 to 1000" in error.inner_text()
    assert page.get_by_role("button", name="Step").is_enabled()  # the app keeps working

    staff.fill("12")
    staff.press("Enter")
    page.locator(".control-error").first.wait_for(state="detached")
    made_before = page.locator(".headline-requests-made").inner_text()
    for i in range(10):
        page.get_by_role("button", name="Step").click()
        page.get_by_text(f"(step {i + 1} of 539)").wait_for()
    assert "Date: 1952-11-15" in page.locator(".model-date").inner_text()
    page.locator(".headline-date", has_text="1952-11-15").wait_for()  # the figures follow the date line
    boxes = page.evaluate(STACKED_LAYERS_JS)
    assert set(boxes) == {"figure-channel", "figure-enterprises", "figure-series"}
    for name, layers in boxes.items():  # every layer of a figure lies on the others, at the size of the figure
        assert len(layers) >= 2 and len({tuple(box) for box in layers}) == 1 and layers[0][2] > 300, (name, layers)
    made_after = page.locator(".headline-requests-made").inner_text()
    assert int(made_after.replace(",", "")) > int(made_before.replace(",", "")) == 0
    page.screenshot(path=str(tmp_path / "explore.png"))

    page.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_text("office_doubled (office.staff=12)").first.wait_for()
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_text("requests_fulfilled").wait_for(timeout=120_000)
    page.get_by_text("B: no_commission").first.wait_for()
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


def test_two_sessions_do_not_share_state(browser, server):
    first = open_page(browser, server)
    for i in range(3):
        first.get_by_role("button", name="Step").click()
        first.get_by_text(f"(step {i + 1} of 539)").wait_for()
    second = open_page(browser, server)
    assert "step 0 of 539" in second.locator(".model-date").inner_text()
    assert "step 3 of 539" in first.locator(".model-date").inner_text()
