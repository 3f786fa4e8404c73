"""The Solara dashboard: explore a scenario step by step, compare two, read about the model.

Served by ``python -m sim dashboard``. Every browser session has its own state
(hooks inside :func:`Page`, no module-level reactive variables), so two sessions
never share a model. The controls are generated from the scenario schema
(:mod:`sim.dashboard.controls`); a change rebuilds the model from the start with
the changed scenario, and a value the schema refuses is reported beside its
control while the model runs on unchanged.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import solara

from sim.dashboard import views
from sim.dashboard.controls import Control, apply_change, sections
from sim.errors import InputError, ScenarioError
from sim.model import TechTransferModel
from sim.scenario import Scenario, library, load_scenario, parse_assignment

if TYPE_CHECKING:
    from sim.compare import Comparison

ABOUT = Path(__file__).with_name("about.md")
MAX_SEED = 2**63 - 1
#: Playing: at most this many frames a second, and at least this pause (s) between frames.
FRAMES_PER_SECOND = 10
MIN_PAUSE_S = 0.02
#: Playing: steps per frame unless the user moves the speed slider (13 weeks: a quarter year).
STEPS_PER_FRAME = 13
#: A figure's layers share one grid cell, so they lie one on another; the two networks share a row.
LAYOUT_CSS = """
.layers { display: grid; min-width: 0; }
.layers > * { grid-area: 1 / 1; width: 100%; }
.layers img { width: 100%; height: auto; }
.networks { display: flex; flex-wrap: nowrap; }
.series-title { font-size: 1.1em; margin: 8px 0 0 8px; }
"""


def frame_pause(elapsed: float) -> float:
    """Seconds to wait after a frame that took ``elapsed`` seconds to step and draw."""
    return max(MIN_PAUSE_S, 1.0 / FRAMES_PER_SECOND - elapsed)


def build_scenario(name: str, changes: dict[str, Any]) -> Scenario:
    """The library scenario ``name`` with the dashboard's accepted ``changes`` applied."""
    scenario = load_scenario(name)
    return scenario.with_overrides(changes, origin="dashboard", advice="dashboard") if changes else scenario


@solara.component
def Headline(figures: dict[str, Any]) -> None:
    """The headline figures of the model as it stands."""
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px"}):
        for name, value in figures.items():
            text = f"{value:,}" if isinstance(value, int) else str(value)
            with solara.Card(margin=0, style={"min-width": "150px"}):
                solara.Text(name, style={"font-size": "0.8em", "color": "#555"})
                solara.Text(text, classes=[f"headline-{name.lower().replace(' ', '-')}"], style={"font-size": "1.4em"})


@solara.component
def Layers(layers: tuple[bytes, ...], name: str, width: int) -> None:
    """A figure's PNG layers shown one on another, the first at the bottom (see :mod:`sim.dashboard.canvas`).

    The figure shrinks to fit, never wider than its ``width`` in pixels. A layer whose
    bytes did not change is not sent to the browser again.
    """
    with solara.Div(classes=["layers", f"figure-{name}"], style={"flex": f"0 1 {width}px", "max-width": f"{width}px"}):
        for layer in layers:
            solara.Image(layer, format="png")


@solara.component
def Views(
    model: TechTransferModel, version: solara.Reactive[int], lock: threading.Lock, figures: views.ExploreFigures
) -> None:
    """Headline figures, the two networks and the time series; redrawn when ``version`` changes."""
    _ = version.value  # read here, so a step redraws this component and not the page
    with lock:
        pictures = figures.update(model)
    widths = figures.widths()
    solara.Style(LAYOUT_CSS)
    Headline(figures.headline)
    with solara.Div(classes=["networks"]):
        for name in ("channel", "enterprises"):
            Layers(pictures[name], name, widths[name])
    solara.Text(figures.series.title, classes=["series-title"])
    Layers(pictures["series"], "series", widths["series"])


@solara.component
def DateLine(model: TechTransferModel, version: solara.Reactive[int]) -> None:
    """The model's date and step, redrawn on every step."""
    _ = version.value
    solara.Text(
        f"Date: {model.date.isoformat()}  (step {model.steps_done} of {model.calendar.n_steps})", classes=["model-date"]
    )


@solara.component
def ControlInput(control: Control, value: Any, error: str | None, on_change: Any) -> None:
    """One parameter: an input labelled from the schema, its hint, and a message if the value was refused."""
    if control.kind == "choice":
        solara.Select(label=control.label, value=str(value), values=list(control.choices), on_value=on_change)
    elif control.kind == "bool":
        solara.Checkbox(label=control.label, value=bool(value), on_value=on_change)
    else:
        solara.InputText(label=control.label, value=str(value), on_value=on_change, continuous_update=False)
    if error:
        solara.Error(error, dense=True, classes=["control-error"])
    else:
        solara.Text(control.hint, style={"font-size": "0.7em", "color": "#777"})


@solara.component
def Parameters(scenario: Scenario, errors: dict[str, Any], on_change: Any) -> None:
    """The schema's parameters, one collapsible group per section.

    ``errors`` holds the message of a refused value by its path, and the value itself by ``path + ":raw"``.
    """
    for section, group in sections().items():
        with solara.Details(summary=section.capitalize()):
            for control in group:
                ControlInput(
                    control,
                    errors.get(control.path + ":raw", control.value_in(scenario)),
                    errors.get(control.path),
                    lambda raw, c=control: on_change(c, raw),
                )


@solara.component
def Compare(scenario_a: Scenario, seed: int, label_a: str) -> None:
    """Run the explored scenario (A) and another (B) with the same seed; show them on the same axes."""
    from sim.compare import compare

    names = list(library())
    name_b = solara.use_reactive("no_commission")
    change_b = solara.use_reactive("")
    until = solara.use_reactive("1958-12-31")
    result: solara.Reactive[Comparison | None] = solara.use_reactive(None)
    error = solara.use_reactive("")

    def run() -> None:
        try:
            b = load_scenario(name_b.value)
            label_b = name_b.value
            if change_b.value.strip():
                changes = dict(parse_assignment(item) for item in change_b.value.split(";") if item.strip())
                b = b.with_overrides(changes, origin="B", strict=False, advice="dashboard")
                label_b = f"{name_b.value} ({change_b.value.strip()})"
            labels = (f"A: {label_a}", f"B: {label_b}")
            result.set(compare(scenario_a, b, seed=seed, until=until.value or None, labels=labels))
            error.set("")
        except InputError as exc:
            error.set(str(exc))

    with solara.Card("Compare with the same seed"):
        solara.Markdown(f"**A** is the scenario set in *Explore*: {label_a}, seed {seed}.")
        with solara.Row():
            solara.Select(label="Scenario B", value=name_b, values=names)
            solara.InputText(label="Change in B (key=value; several separated by ;)", value=change_b)
            solara.InputText(label="Run both until (YYYY-MM-DD)", value=until)
            solara.Button("Run comparison", color="primary", on_click=run)
        if error.value:
            solara.Error(error.value)
    comparison = result.value
    if comparison is not None:
        table = comparison.headline.round(3).reset_index()
        table.columns = ["figure", comparison.labels[0], comparison.labels[1], "B - A", "B / A"]
        solara.DataFrame(table, items_per_page=20)
        figures = comparison.figures()
        for key in ("sets_supplied", "adoption", "queues"):
            solara.FigureMatplotlib(figures[key], format="png", dpi=80)


@solara.component
def About() -> None:
    """The About page (NetLogo Info-tab tradition)."""
    solara.Markdown(ABOUT.read_text(encoding="utf-8"))


@solara.component
def Page() -> None:
    """The whole app; every hook here is per browser session."""
    scenario_name = solara.use_reactive("baseline_1952")
    seed_text = solara.use_reactive("1952")
    changes: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    errors: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    resets = solara.use_reactive(0)
    version = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    steps_per_frame = solara.use_reactive(STEPS_PER_FRAME)
    lock = solara.use_memo(threading.Lock, [])

    scenario = solara.use_memo(
        lambda: build_scenario(scenario_name.value, changes.value), [scenario_name.value, changes.value]
    )
    seed_ok = seed_text.value.strip().isdigit() and int(seed_text.value) <= MAX_SEED
    seed = int(seed_text.value) if seed_ok else scenario.seed
    model = solara.use_memo(lambda: TechTransferModel(scenario, rng=seed), [scenario, seed, resets.value])
    figures = solara.use_memo(lambda: views.ExploreFigures(model, views.enterprise_sample(model)), [model])

    def play_loop() -> None:
        while playing.value and not model.finished:
            started = time.perf_counter()
            with lock:
                for _ in range(steps_per_frame.value):
                    if model.finished:
                        break
                    model.step()
            version.set(version.value + 1)
            time.sleep(frame_pause(time.perf_counter() - started))
        if model.finished:
            playing.set(False)

    solara.use_thread(play_loop, dependencies=[playing.value, model])

    def step() -> None:
        with lock:
            if not model.finished:
                model.step()
        version.set(version.value + 1)

    def reset() -> None:
        playing.set(False)
        resets.set(resets.value + 1)
        version.set(0)

    def pick(name: str) -> None:
        playing.set(False)
        scenario_name.set(name)
        changes.set({})
        errors.set({})

    def change(control: Control, raw: Any) -> None:
        try:
            changed = apply_change(scenario, control, raw)
        except ScenarioError as exc:
            errors.set({**errors.value, control.path: "; ".join(exc.problems), control.path + ":raw": raw})
            return
        playing.set(False)
        errors.set({k: v for k, v in errors.value.items() if k not in {control.path, control.path + ":raw"}})
        changes.set({**changes.value, control.path: control.value_in(changed)})

    label = scenario_name.value + (
        " (" + ", ".join(f"{k}={v}" for k, v in changes.value.items()) + ")" if changes.value else ""
    )
    solara.Title("Ziliao")
    with solara.AppBar():
        solara.AppBarTitle("Ziliao: Soviet technical materials for China, 1952-1962")

    with solara.Sidebar():
        with solara.Card("Run"):
            solara.Select(label="Scenario", value=scenario_name.value, values=list(library()), on_value=pick)
            solara.Text(scenario.question, style={"font-size": "0.8em"})
            solara.InputText(label="Seed", value=seed_text, continuous_update=False)
            if not seed_ok:
                solara.Error(f"seed {seed_text.value!r}: give a whole number from 0 to {MAX_SEED}", dense=True)
            DateLine(model, version)
            with solara.Row():
                solara.Button("Step", on_click=step, disabled=playing.value or model.finished, color="primary")
                solara.Button(
                    "Pause" if playing.value else "Play",
                    on_click=lambda: playing.set(not playing.value),
                    disabled=model.finished,
                    color="primary",
                )
                solara.Button("Reset", on_click=reset)
            solara.SliderInt("Speed (steps per frame)", value=steps_per_frame, min=1, max=26)
        with solara.Card("Parameters (a change restarts the run)"):
            Parameters(scenario, errors.value, change)

    view = solara.use_reactive("Explore")
    solara.ToggleButtonsSingle(value=view, values=["Explore", "Compare", "About"])
    if view.value == "Explore":
        Views(model, version, lock, figures)
    elif view.value == "Compare":
        Compare(scenario, seed, label)
    else:
        About()
