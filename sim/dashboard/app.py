"""The Solara dashboard: explore a scenario step by step, compare two, read about the model.

Served by ``python -m sim dashboard``. Every browser session has its own state
(hooks inside :func:`Page`, no module-level reactive variables), so two sessions
never share a model. The controls are generated from the scenario schema
(:mod:`sim.dashboard.controls`): the parameters the schema marks for teaching as
sliders, switches and choosers, then every parameter in its section. A change
rebuilds the model from the start with the changed scenario; a value the schema
refuses is reported beside its control while the model runs on unchanged.

Nothing here runs in a thread of its own except Solara's tasks (building the
figures of a new model, running a comparison), which set their result once. Play
is a clock in the browser that pulls one frame at a time (:func:`sim.dashboard.widgets.Clock`).

The page speaks English or 中文 (the switch in the header): every interface text,
the figures (built again in the chosen language), the headline cards and the About
page (``about.md``, ``about.zh.md``) pass through :func:`sim.dashboard.i18n.translator`.
Names from the scenario files and the parameter schema stay as written.

The page is laid out for a projector: a header with the title and what changed, the
parameters in a column on the left, and the run controls above the figures on the
right, both in view at 1024x768.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import solara
import solara.lab
from solara.alias import rv

from sim.dashboard import views
from sim.dashboard.canvas import composite, png
from sim.dashboard.controls import Control, apply_change, differences, sections, teaching_controls
from sim.dashboard.files import MAX_UPLOAD, read_uploaded, scenario_toml, timeseries_csv
from sim.dashboard.i18n import FONTS, LANGUAGES, PAGE_FONTS, Translate, same, translator
from sim.dashboard.widgets import Clock, Hover, ScenarioUpload
from sim.errors import InputError, ScenarioError
from sim.limits import SESSION_MEMORY_BYTES
from sim.model import TechTransferModel
from sim.outputs import FIGURES_BY_NAME
from sim.scenario import Scenario, library, load_scenario, parse_assignment
from sim.timeline import parse_date

if TYPE_CHECKING:
    from sim.compare import Comparison

ABOUT = {"en": Path(__file__).with_name("about.md"), "zh": Path(__file__).with_name("about.zh.md")}
#: A figure title that names its seed (:func:`sim.compare.comparison_figures`).
SEEDED = re.compile(r"(.*) \(seed (\d+)\)")
#: The views the header switches between, by their English names.
VIEWS = ("Explore", "Compare", "About")
MAX_SEED = 2**63 - 1
#: Playing: steps per frame unless the user moves the speed slider (13 weeks: a quarter year).
STEPS_PER_FRAME = 13
MAX_STEPS_PER_FRAME = 26
#: The page: a header, the parameters on the left, the run controls above the figures on the right.
LAYOUT_CSS = """
.zl-app, .zl-app *:not(.v-icon):not([class*="mdi"]) { font-family: FONTS; }
.zl-app { position: fixed; inset: 0; z-index: 10; background: #fff; display: grid;
  grid-template-columns: minmax(250px, 23vw) minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr);
  font-size: 15px; }
.zl-header { grid-column: 1 / 3; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px;
  padding: 4px 12px; background: #2c3e50; color: #fff; }
.zl-header .zl-brand { font-size: 1.15em; font-weight: 600; }
.zl-header .zl-title { flex: 1 1 300px; font-size: 0.95em; }
.zl-side { overflow-y: auto; padding: 8px; border-right: 1px solid #ddd; }
.zl-side .v-btn { max-width: 100%; height: auto !important; min-height: 36px; }
.zl-side .v-btn__content { white-space: normal; text-align: left; }
.zl-main { overflow-y: auto; padding: 0 8px 8px 8px; min-width: 0; }
.zl-runbar { position: sticky; top: 0; z-index: 2; background: #fff; display: flex; flex-wrap: wrap;
  align-items: center; gap: 4px 12px; padding: 6px 0; border-bottom: 1px solid #ddd; }
.zl-runbar .zl-speed { width: 190px; display: flex; flex-direction: column; }
.zl-runbar .zl-speed-label { font-size: 0.85em; color: #444; white-space: nowrap; }
.zl-runbar .zl-until { width: 240px; }
.model-date { font-weight: 600; }
.zl-busy { color: #a04000; font-weight: 600; }
.zl-changed { color: #a04000; font-size: 0.85em; }
.zl-what-changed { font-size: 0.85em; color: #ffe0b2; }
.zl-headline { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
.zl-card { border: 1px solid #ddd; border-radius: 4px; padding: 2px 8px; min-width: 120px; }
.zl-card .zl-card-label { font-size: 0.8em; color: #555; }
.zl-card .zl-card-value { font-size: 1.3em; }
.layers { display: grid; min-width: 0; }
.layers > * { grid-area: 1 / 1; width: 100%; }
.layers img { width: 100%; height: auto; }
.zl-hover { position: relative; z-index: 1; cursor: crosshair; }
.zl-tip { position: absolute; pointer-events: none; white-space: pre; background: #fffff0; border: 1px solid #999;
  border-radius: 3px; padding: 2px 6px; font-size: 13px; line-height: 1.35; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.networks { display: flex; flex-wrap: wrap; gap: 4px; }
.series-title { font-size: 1.05em; margin: 8px 0 0 8px; }
.zl-event-key { display: flex; flex-wrap: wrap; gap: 2px 14px; margin: 2px 8px; font-size: 0.85em; color: #444; }
.zl-downloads { display: flex; flex-wrap: wrap; gap: 4px; margin: 6px 0; }
""".replace("FONTS", PAGE_FONTS)


def build_scenario(name: str, changes: dict[str, Any], uploaded: Scenario | None = None) -> Scenario:
    """The scenario ``name`` (or the ``uploaded`` one) with the dashboard's accepted ``changes`` applied."""
    scenario = uploaded if uploaded is not None else load_scenario(name)
    return scenario.with_overrides(changes, origin="dashboard", advice="dashboard") if changes else scenario


def parse_seed(text: str) -> int | None:
    """The seed typed, or None if it is not a whole number from 0 to :data:`MAX_SEED`."""
    text = text.strip().replace(",", "")
    return int(text) if text.isdigit() and int(text) <= MAX_SEED else None


def shown(value: Any) -> str:
    """A value as the page shows it: whole numbers with separators, no ``-0.0``, three significant digits."""
    if value is None:
        return "-"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    text = f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return "0" if text in {"-0", "-0.0"} else text


def what_changed(base: Scenario, current: Scenario, seed: int, tr: Translate = same) -> str:
    """One line: every value that differs from the scenario's own, and the seed if it does."""
    parts = [
        f"{tr(c.plain_label)}: {tr(shown(c.word(old)))} → {tr(shown(c.word(new)))}"
        for c, old, new in differences(base, current)
    ]
    if seed != base.seed:
        parts.append(tr("seed: {old} → {new}").format(old=base.seed, new=seed))
    return "; ".join(parts)


@solara.component
def Headline(figures: dict[str, Any], tr: Translate = same) -> None:
    """The headline figures of the model as it stands, each a label above its value."""
    with solara.Div(classes=["zl-headline"]):
        for name, value in figures.items():
            with solara.Div(classes=["zl-card"]):
                solara.Div(children=[tr(name)], classes=["zl-card-label"])
                solara.Div(
                    children=[shown(value)], classes=["zl-card-value", f"headline-{name.lower().replace(' ', '-')}"]
                )
    solara.Div(
        children=[
            tr("Technology index: the mean share of enterprises that have adopted each of the five kinds (0 to 1).")
        ],
        style={"font-size": "0.8em", "color": "#555"},
    )


@solara.component
def Layers(
    layers: tuple[bytes, ...],
    name: str,
    width: int,
    font_px: float,
    read: Callable[[float, float], str] | None = None,
    height: int = 0,
) -> None:
    """A figure's PNG layers shown one on another, the first at the bottom (see :mod:`sim.dashboard.canvas`).

    The figure shrinks to fit, never wider than its ``width`` in pixels. A layer whose
    bytes did not change is not sent to the browser again. ``data-font-px`` holds the
    size of the figure's smallest text in its own pixels (the shown size is that times
    the shown width over ``width``). ``read``: what the pointer shows at a place of the
    picture (``width`` x ``height`` pixels), on top of the layers.
    """
    with solara.Div(
        classes=["layers", f"figure-{name}"],
        style={"flex": f"1 1 {width}px", "max-width": f"{width}px"},
        attributes={"data-font-px": f"{font_px:.2f}"},
    ):
        for layer in layers:
            solara.Image(layer, format="png")
        if read is not None:
            Hover(width, height, read)


@solara.component
def Views(model: TechTransferModel, version: int, figures: views.ExploreFigures) -> None:
    """Headline figures, the two networks and the time series, as the model stands at ``version``."""
    tr = translator(figures.language)
    pictures = figures.update(model)
    widths = figures.widths()
    font_px = solara.use_memo(figures.font_px, [figures])  # the texts' sizes do not change with a step
    Headline(figures.headline, tr)
    with solara.Div(classes=["networks"]):
        for name in ("channel", "enterprises"):
            Layers(pictures[name], name, widths[name], font_px[name])
    solara.Text(figures.series.title, classes=["series-title"])
    read = partial(figures.readout_at, model)  # values under the pointer, at the date under it
    Layers(pictures["series"], "series", widths["series"], font_px["series"], read, figures.series.mosaic.size[1])
    with solara.Div(classes=["zl-event-key"]):
        for number, event in enumerate(figures.series.events, 1):
            solara.Text(f"{number} {event['date'][:10]} {tr(event['label'])}", classes=["zl-event"])
    with solara.Div(classes=["zl-event-key", "zl-record-key"]):
        solara.Text(tr("◆ The record (rows of data/history_targets.csv, source grade A-C):"))
        for colour, text in figures.record_key():
            solara.Text(f"◆ {text}", style={"color": colour}, classes=["zl-record"])
    date = model.date.isoformat()
    with solara.Div(classes=["zl-downloads"]):
        for name in ("channel", "enterprises", "series"):
            solara.FileDownload(
                lambda name=name: png(composite(figures.pictures()[name])),
                filename=f"ziliao-{name}-{date}.png",
                label=tr(f"{name.capitalize()} figure (PNG)"),
            )
        solara.FileDownload(
            lambda: timeseries_csv(model), filename=f"ziliao-timeseries-{date}.csv", label=tr("Time series (CSV)")
        )


@solara.component
def ControlInput(
    control: Control, value: Any, base: Any, error: str | None, on_change: Any, teaching: bool, tr: Translate = same
) -> None:
    """One parameter: a slider, switch or chooser (teaching) or a labelled box, its hint, and any refusal."""
    label = tr(control.plain_label) if teaching else control.label
    spec = control.teaching or {}
    if control.kind == "choice":
        solara.Text(label, style={"font-size": "0.9em"})  # above, where a long label is not cut
        words = {choice: tr(control.word(choice)) for choice in control.choices}
        value_of = {word: choice for choice, word in words.items()}
        solara.Select(
            label="",
            value=words.get(str(value), str(value)),
            values=list(words.values()),
            on_value=lambda word: on_change(value_of[word]),
        )
    elif control.kind == "bool":
        solara.Switch(label=label, value=bool(value), on_value=on_change)
    elif teaching and spec.get("low") is not None and isinstance(value, int | float):
        low, high, step = spec["low"], spec["high"], spec["step"]
        solara.Text(f"{label}: {shown(value)}", style={"font-size": "0.9em"})
        slider = solara.SliderInt if control.kind == "int" else solara.SliderFloat
        slider(label="", value=min(max(value, low), high), min=low, max=high, step=step, on_value=on_change)
    else:
        solara.InputText(label=label, value=str(value), on_value=on_change, continuous_update=False)
    if error:
        solara.Error(error, dense=True, classes=["control-error"])
    elif value != base:
        solara.Text(tr("changed (scenario: {base})").format(base=shown(base)), classes=["zl-changed"])
    if not teaching:
        solara.Text(control.hint, style={"font-size": "0.75em", "color": "#666"})


@solara.component
def Parameters(
    scenario: Scenario, base: Scenario, errors: dict[str, Any], on_change: Any, tr: Translate = same
) -> None:
    """The teaching controls, then the schema's parameters, one collapsible group per section.

    ``errors`` holds the message of a refused value by its path, and the value itself by ``path + ":raw"``.
    """

    def one(control: Control, teaching: bool) -> None:
        ControlInput(
            control,
            errors.get(control.path + ":raw", control.value_in(scenario)),
            control.value_in(base),
            errors.get(control.path),
            lambda raw, c=control: on_change(c, raw),
            teaching,
            tr,
        )

    with solara.Card(tr("Key parameters"), margin=0, classes=["zl-teaching"]):
        for control in teaching_controls():
            one(control, True)
    with solara.Card(tr("All parameters"), margin=0):
        for section, group in sections().items():
            changed = sum(control.value_in(scenario) != control.value_in(base) for control in group)
            summary = tr(section.capitalize()) + (tr(" ({n} changed)").format(n=changed) if changed else "")
            Section(summary, partial(_each, one, group))


def _each(one: Callable[[Control, bool], None], group: list[Control]) -> None:
    """Draw every control of ``group`` with ``one`` (as full-panel inputs, not teaching ones)."""
    for control in group:
        one(control, False)


@solara.component
def Section(summary: str, contents: Callable[[], Any]) -> None:
    """A collapsible group whose ``contents`` are built only while it is open.

    The schema has about 70 parameters beyond the key ones; built closed, they cost the
    page nothing until a section is opened (``solara.Details`` builds its children closed too).
    """
    opened = solara.use_reactive(False)
    with (
        rv.ExpansionPanels(v_model=0 if opened.value else None, on_v_model=lambda v: opened.set(v == 0)),
        rv.ExpansionPanel(),
    ):
        rv.ExpansionPanelTitle(children=[summary])
        with rv.ExpansionPanelText():
            if opened.value:
                contents()


def comparison_table(comparison: Comparison, tr: Translate = same) -> Any:
    """The headline table of a comparison with the figures' labels and units, values as the page shows them."""
    import pandas as pd

    rows = []
    for name, row in comparison.headline.iterrows():
        figure = FIGURES_BY_NAME.get(str(name))
        rows.append(
            {
                tr("Figure"): tr(figure.label) if figure else str(name),
                tr("Unit"): tr(figure.unit) if figure else "",
                comparison.labels[0]: shown(row["a"]),
                comparison.labels[1]: shown(row["b"]),
                "B − A": shown(row["difference"]),
                "B / A": shown(row["ratio"]),
            }
        )
    return pd.DataFrame(rows)


@solara.component
def Compare(label_a: str, seed: int, state: dict[str, solara.Reactive[str]], task: Any, tr: Translate = same) -> None:
    """Run the explored scenario (A) and another (B) with the same seed; show them on the same axes."""
    with solara.Card(tr("Compare with the same seed")):
        solara.Markdown(
            tr("**A** is the scenario set in *Explore*: {label}, seed {seed}.").format(label=label_a, seed=seed)
        )
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.Select(label=tr("Scenario B"), value=state["name_b"], values=list(library()))
            solara.InputText(label=tr("Change in B (key = value; several separated by ;)"), value=state["change_b"])
            solara.InputText(label=tr("Run both until (YYYY-MM-DD)"), value=state["until"])
            solara.Button(tr("Run comparison"), color="primary", on_click=task, disabled=task.pending)
        if task.pending:
            solara.ProgressLinear(True)
            solara.Text(tr("Running both scenarios…"), classes=["zl-busy"])
        elif task.error:
            solara.Error(str(task.exception), classes=["compare-error"])
    comparison = task.value if task.finished and not task.error else None
    if comparison is not None:
        solara.DataFrame(comparison_table(comparison, tr), items_per_page=20)
        figures = comparison.figures()
        for key in ("sets_supplied", "adoption", "queues"):
            solara.FigureMatplotlib(translated(figures[key], tr), format="png", dpi=80)


def translated(figure: Any, tr: Translate) -> Any:
    """A matplotlib figure with every text put through ``tr`` and set in the figures' fonts (in place)."""
    from matplotlib.text import Text

    if tr is same:
        return figure
    for text in figure.findobj(Text):
        if text.get_text():
            seeded = SEEDED.fullmatch(text.get_text())
            if seeded:  # a title with the seed: "... (seed 1952)"
                text.set_text(tr("{title} (seed {seed})").format(title=tr(seeded[1]), seed=seeded[2]))
            else:
                text.set_text(tr(text.get_text()))
            text.set_fontfamily(FONTS)
    return figure


@solara.component
def About(language: str = "en") -> None:
    """The About page (NetLogo Info-tab tradition), in ``language``."""
    solara.Markdown(ABOUT[language].read_text(encoding="utf-8"))


def until_date(text: str, model: TechTransferModel, tr: Translate = same) -> tuple[dt.date, str]:
    """The run-until date typed (the run's end if blank) and a message if it is not a date within the run."""
    start, end = model.config.time.start, model.config.time.end
    if not text.strip():
        return end, ""
    try:
        date = parse_date(text.strip())
    except InputError as exc:
        return end, tr("play until {text}: {error}; playing to the end").format(text=repr(text.strip()), error=exc)
    if not start < date <= end:
        message = tr("play until {date}: outside the run; choose a date after {start} and up to {end}")
        return end, message.format(date=date, start=start, end=end)
    return date, ""


@solara.component
def Run(
    model: TechTransferModel,
    figures: views.ExploreFigures | None,
    playing: solara.Reactive[bool],
    until: dt.date,
    until_text: solara.Reactive[str],
    until_error: str,
    on_reset: Any,
    failed: str = "",
    tr: Translate = same,
) -> None:
    """The run bar (Step, Play/Pause, Reset, speed, play-until date, the date) above the model's figures.

    A step or a frame of Play changes only this component's state, so only the run bar and
    the figures are drawn again, not the page around them (measured: the parameter column and
    header cost about a third of a click). ``figures`` is None while they are being built, or if
    building them ``failed`` (the error).
    """
    version = solara.use_reactive(0)
    steps_per_frame = solara.use_reactive(STEPS_PER_FRAME)
    busy = figures is None

    def tick(_frame: int) -> None:
        if not playing.value or figures is None:
            return
        for _ in range(steps_per_frame.value):
            if model.finished or model.date >= until:
                break
            model.step()
        if model.finished or model.date >= until:
            playing.set(False)
        version.set(version.value + 1)

    def step() -> None:
        if not model.finished:
            model.step()
        version.set(version.value + 1)

    with solara.Div(classes=["zl-runbar"]):
        solara.Button(tr("Step"), on_click=step, disabled=busy or playing.value or model.finished, color="primary")
        solara.Button(
            tr("Pause") if playing.value else tr("Play"),
            on_click=lambda: playing.set(not playing.value),
            disabled=busy or (not playing.value and (model.finished or model.date >= until)),
            color="primary",
        )
        solara.Button(tr("Reset"), on_click=on_reset, disabled=busy, outlined=True)
        with solara.Div(classes=["zl-speed"]):
            solara.Text(tr("Speed: {n} steps a frame").format(n=steps_per_frame.value), classes=["zl-speed-label"])
            solara.SliderInt("", value=steps_per_frame, min=1, max=MAX_STEPS_PER_FRAME)
        with solara.Div(classes=["zl-until"]):
            solara.InputText(
                tr("Play until (YYYY-MM-DD)"), value=until_text, continuous_update=False, error=bool(until_error)
            )
        solara.Text(
            tr("Date: {date}  (step {step} of {steps})").format(
                date=model.date.isoformat(), step=model.steps_done, steps=model.calendar.n_steps
            ),
            classes=["model-date"],
        )
        Clock(playing=playing.value, frame=version.value, event_tick=tick)
    if until_error:
        solara.Error(until_error, dense=True)
    if failed:
        solara.Error(tr("the figures could not be drawn: {error}").format(error=failed))
    elif figures is None:
        solara.ProgressLinear(True)
        solara.Text(tr("Building the model and its figures…"), classes=["zl-busy"])
    else:
        Views(model, version.value, figures)


@solara.component
def Page() -> None:
    """The whole app; every hook here is per browser session."""
    scenario_name = solara.use_reactive("baseline_1952")
    uploaded: solara.Reactive[Scenario | None] = solara.use_reactive(None)
    upload_error = solara.use_reactive("")
    seed = solara.use_reactive(1952)
    seed_text = solara.use_reactive("1952")
    seed_shown = solara.use_reactive(0)  # a new seed box whenever the seed is set for the user
    changes: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    errors: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    resets = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    until_text = solara.use_reactive("")
    view = solara.use_reactive("Explore")
    language = solara.use_reactive("en")
    tr = translator(language.value)
    compare_state = {
        "name_b": solara.use_reactive("no_commission"),
        "change_b": solara.use_reactive(""),
        "until": solara.use_reactive("1958-12-31"),
    }

    base = solara.use_memo(
        lambda: uploaded.value if uploaded.value is not None else load_scenario(scenario_name.value),
        [scenario_name.value, uploaded.value],
    )
    scenario = solara.use_memo(
        lambda: build_scenario(scenario_name.value, changes.value, uploaded.value),
        [scenario_name.value, changes.value, uploaded.value],
    )
    model = solara.use_memo(lambda: TechTransferModel(scenario, rng=seed.value), [scenario, seed.value, resets.value])

    def build_figures() -> tuple[TechTransferModel, views.ExploreFigures]:
        return model, views.ExploreFigures(model, views.enterprise_sample(model), language.value)

    figures_task = solara.lab.use_task(build_figures, dependencies=[model, language.value], raise_error=False)
    built = figures_task.value if figures_task.finished and not figures_task.error else None
    figures = built[1] if built is not None and built[0] is model and built[1].language == language.value else None
    until, until_error = until_date(until_text.value, model, tr)
    label = scenario.name + (f" ({what_changed(base, scenario, seed.value, tr)})" if base != scenario else "")

    def reset() -> None:
        playing.set(False)
        resets.set(resets.value + 1)

    def start_over(name: str, scenario_uploaded: Scenario | None) -> None:
        playing.set(False)
        scenario_name.set(name)
        uploaded.set(scenario_uploaded)
        changes.set({})
        errors.set({})
        upload_error.set("")
        fresh = scenario_uploaded if scenario_uploaded is not None else load_scenario(name)
        seed.set(fresh.seed)
        seed_text.set(str(fresh.seed))
        seed_shown.set(seed_shown.value + 1)

    def upload(file: Any) -> None:
        try:
            fresh = read_uploaded(str(file["name"]), str(file["text"]).encode("utf-8"), int(file["size"]))
        except ScenarioError as exc:
            upload_error.set("\n".join(exc.problems))
            return
        start_over(fresh.name, fresh)

    def set_seed(text: str) -> None:
        seed_text.set(text)
        value = parse_seed(text)
        if value is not None:
            playing.set(False)
            seed.set(value)

    def changer(control: Control, raw: Any) -> None:
        try:
            changed = apply_change(scenario, control, raw)
        except ScenarioError as exc:
            kept = shown(control.value_in(scenario))
            message = "; ".join(exc.problems) + tr(". The run keeps {kept}.").format(kept=kept)
            errors.set({**errors.value, control.path: message, control.path + ":raw": raw})
            return
        playing.set(False)
        errors.set({k: v for k, v in errors.value.items() if k not in {control.path, control.path + ":raw"}})
        new = {**changes.value, control.path: control.value_in(changed)}
        by_path = {c.path: c for c in teaching_controls() + [c for group in sections().values() for c in group]}
        changes.set({k: v for k, v in new.items() if v != by_path[k].value_in(base)})

    # The same function until what it reads changes, so that a Step or a frame of Play, which change
    # none of it, does not draw the parameter column again (measured: 110 ms of a 200 ms click).
    change = solara.use_memo(lambda: changer, [scenario, base, errors.value, changes.value, language.value])

    def reset_values() -> None:
        playing.set(False)
        changes.set({})
        errors.set({})
        seed.set(base.seed)
        seed_text.set(str(base.seed))
        seed_shown.set(seed_shown.value + 1)

    def compare_run() -> Comparison:
        from sim.compare import compare

        b = load_scenario(compare_state["name_b"].value)
        label_b = compare_state["name_b"].value
        text = compare_state["change_b"].value.strip()
        if text:
            b_changes = dict(parse_assignment(item) for item in text.split(";") if item.strip())
            b = b.with_overrides(b_changes, origin="change in B", strict=False, advice="dashboard")
            b.check_size(origin="change in B", limit=SESSION_MEMORY_BYTES)  # a session shares the server
            label_b = f"{label_b} ({text})"
        until_b = compare_state["until"].value.strip()
        if until_b:
            try:
                date = parse_date(until_b)
            except InputError as exc:
                raise InputError(tr("run both until {text}: {error}").format(text=repr(until_b), error=exc)) from None
            start, end = scenario.time.start, min(scenario.time.end, b.time.end)
            if not start < date <= end:
                message = tr("run both until {date}: outside the runs; choose a date after {start} and up to {end}")
                raise InputError(message.format(date=date, start=start, end=end))
        return compare(scenario, b, seed=seed.value, until=until_b or None, labels=(f"A: {label}", f"B: {label_b}"))

    compare_task = solara.lab.use_task(compare_run, dependencies=None, raise_error=False)

    seed_error = (
        ""
        if parse_seed(seed_text.value) is not None
        else tr("seed {text}: give a whole number from 0 to {most}; the run keeps seed {seed}").format(
            text=repr(seed_text.value), most=MAX_SEED, seed=seed.value
        )
    )
    solara.Title("Ziliao")
    solara.Style(LAYOUT_CSS)
    with solara.Div(classes=["zl-app"]):
        with solara.Div(classes=["zl-header"]):
            solara.Text(tr("Ziliao 资料: Soviet technical materials for China, 1952-1962"), classes=["zl-brand"])
            with solara.Div(classes=["zl-title"]):
                solara.Text(tr("Scenario: ") + scenario.name, classes=["zl-scenario-name"])
                if base != scenario or seed.value != base.seed:
                    solara.Text(
                        tr("  · changed: ") + what_changed(base, scenario, seed.value, tr), classes=["zl-what-changed"]
                    )
            view_of = {tr(name): name for name in VIEWS}
            solara.ToggleButtonsSingle(
                value=tr(view.value), values=list(view_of), on_value=lambda name: view.set(view_of[name]), dense=True
            )
            language_of = {name: code for code, name in LANGUAGES.items()}
            solara.ToggleButtonsSingle(
                value=LANGUAGES[language.value],
                values=list(language_of),
                on_value=lambda name: language.set(language_of[name]),
                dense=True,
                classes=["zl-language"],
            )
        with solara.Div(classes=["zl-side"]):
            solara.Select(
                label=tr("Scenario"),
                value=scenario_name.value,
                values=list(library()),
                on_value=lambda n: start_over(n, None),
            )
            solara.Text(tr(scenario.question), style={"font-size": "0.85em"})
            solara.InputText(label=tr("Seed"), value=seed_text.value, on_value=set_seed, continuous_update=False).key(
                f"seed-{seed_shown.value}"
            )
            if seed_error:
                solara.Error(seed_error, dense=True, classes=["seed-error"])
            with solara.Column(gap="4px", align="start"):
                solara.Button(
                    tr("Reset values"),
                    on_click=reset_values,
                    disabled=base == scenario and seed.value == base.seed,
                    outlined=True,
                )
                solara.FileDownload(
                    lambda: scenario_toml(
                        scenario.with_overrides({"seed": seed.value}, origin="dashboard"),
                        f"Saved from the Ziliao dashboard: {label}, seed {seed.value}.\n"
                        "Run it with: python -m sim run THIS_FILE --out results/mine",
                    ),
                    filename=f"{scenario.name}-dashboard.toml",
                    label=tr("Download scenario (TOML)"),
                )
            ScenarioUpload(label=tr("Load a scenario file (.toml)"), max_bytes=MAX_UPLOAD, event_upload=upload)
            if upload_error.value:
                solara.Error(upload_error.value, dense=True, classes=["upload-error"])
            Parameters(scenario, base, errors.value, change, tr)
        with solara.Div(classes=["zl-main"]):
            if view.value == "Explore":
                failed = str(figures_task.exception) if figures_task.error else ""
                Run(model, figures, playing, until, until_text, until_error, reset, failed, tr)
            elif view.value == "Compare":
                Compare(label, seed.value, compare_state, compare_task, tr)
            else:
                About(language.value)
