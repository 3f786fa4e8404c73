"""What every teaching notebook shares: the kinds of cell, the setup cell, the words on predicting and answering.

Each notebook is a module beside this one (``n00_quickstart.py`` ...) that lists
its cells in the order of the NetLogo Info tab (what is it, how it works, how to
use it, things to notice, things to try, extending the model), with a
predict-run-compare-explain cycle around each key run, and its *Things to try*
as :class:`Try` items, each with the code of its solution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Cell:
    """One cell: ``md`` (Markdown) or ``code``."""

    kind: str
    source: str


def md(text: str) -> Cell:
    """A Markdown cell; each ``history:<id>`` citation gets its row's reliability grade."""
    return Cell("md", with_grades(text))


def code(text: str) -> Cell:
    """A code cell."""
    return Cell("code", text)


@dataclass(frozen=True)
class Try:
    """One of the *Things to try*.

    Attributes:
        tier: ``Basic`` (edit a list in a written loop, or use the dashboard) or ``Extension``
            (write a scenario file, extend a sweep).
        text: The task, in Markdown.
        solution: Code that does it, run in the notebook's solutions notebook.
        starter: Code given in the notebook itself to start from (runs as it stands), or ``""``.
    """

    tier: str
    text: str
    solution: str
    starter: str = ""


TIERS = ("Basic", "Extension")

#: Where a notebook's *Things to try* go among its cells.
TRIES_HERE = Cell("tries", "")

_GRADES = pd.read_csv(ROOT / "data" / "history_targets.csv", dtype=str).set_index("id")["reliability"]


def with_grades(text: str) -> str:
    """Each ```history:<id>``` in ``text`` followed by its reliability grade: ```history:recall_1960`` [grade A]`."""
    return re.sub(r"`history:([a-z0-9_]+)`", lambda m: f"`history:{m[1]}` [grade {_GRADES[m[1]]}]", text)


SETUP = '''\
import matplotlib.pyplot as plt
import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import pandas as pd

from sim import load_scenario, TechTransferModel
from sim.catalog import CATEGORIES, CATEGORY_LABELS
from sim.history import cite, targets
from sim.plots import mark_rows
from sim.predictions import compare, direction, predict
from sim.teaching import check, friendly_errors

friendly_errors()  # a misspelt name, an unquoted answer or a bad scenario file gets a plain message
SEED = 7


def run(name, until="1962-12-31", overrides=None, seed=SEED):
    """Run a scenario (a library name or a .toml file) up to a date and return its results."""
    scenario = load_scenario(name)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    model = TechTransferModel(scenario, rng=seed)
    model.run_until(until)
    return model.results()


def date_axis(ax):
    """Years on the time axis."""
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel("Date")


STYLES = [{"linewidth": 3.5, "alpha": 0.55}, {"linestyle": "--", "linewidth": 1.8}, {"linestyle": ":", "linewidth": 2.4}]


def plot_runs(ax, runs, column, scale=1.0):
    """One line per run, each in its own colour and style, so that a line lying on another still shows;
    a run whose line is the same as an earlier run's says so in the legend."""
    drawn = {}
    for style, (name, r) in zip(STYLES * 3, runs.items()):
        y = r.timeseries[column] * scale
        same = next((other for other, seen in drawn.items() if seen.equals(y)), None)
        label = name if same is None else f"{name} (the same as {same}: the lines coincide)"
        ax.plot(y.index, y, label=label, **style)
        drawn[name] = y


STAGES = {"to the channel": ("created", "queued"), "at the channel": ("queued", "forwarded"),
          "to the agency": ("forwarded", "under_review"), "review": ("under_review", "approved"),
          "copying": ("approved", "shipped"), "shipping": ("shipped", "arrived"),
          "translation": ("arrived", "delivered")}


def stage_days(ledger):
    """Mean days that the delivered requests of a ledger spent in each stage of their path."""
    done = ledger.dropna(subset=["delivered"])
    return pd.Series({stage: (done[end] - done[start]).dt.total_seconds().mean() / 86400
                      for stage, (start, end) in STAGES.items()}, name="days")
'''

HOW_TO_USE = """\
## How to use it

Run the cells in order (Shift-Enter), or *Restart and run all*. Three kinds of cell ask something of you:

- **Predict** (before a key run): replace `...` with your prediction, e.g. `my_prediction = "longer"`, and run
  the cell *before* the run. It is recorded with the time; after the run, a **compare** cell shows it beside
  what the model gives. A prediction that turns out wrong is the most useful kind: it shows what you
  expected that the model does not do.
- **Explain** and **self-checks**: replace `...` with your answer and run the cell. It prints *Right* and why,
  *Not quite* and a hint, or *Not answered yet*. Names go in quotes (`answer = 'translation'`: an unquoted
  word is a Python name); numbers may carry their unit or a thousands separator (`'322 days'`, `'1,234'`);
  `'yes'`/`'no'` work for `True`/`False`. Answers are computed from your own run, with the seed of the
  setup cell (`SEED = 7`).
- **Things to try** come in two tiers: **Basic** (edit a list in a loop that is written for you, or use the
  dashboard) and **Extension** (write a scenario file, extend a sweep). Worked solutions are in
  `solutions/` beside this notebook: try first, then look.

The dashboard (`python -m sim dashboard`, or `make dashboard`, then http://127.0.0.1:8765/) runs the same
model without code: pick a *Scenario*, set the *Seed*, move the *Key parameters* sliders, and press *Play*;
*Compare* puts two scenarios on the same axes."""

EXPLANATION = '''\
my_explanation = ""  # in your own words, one line: why does the model give this result?'''

SOURCES = """\
## The sources

Every figure cited here is a row of `data/history_targets.csv`, shown with its **reliability grade**:
A, a primary document or archival scholarship; B, a scholarly book read through a transcription;
C, a secondary source. A grade says how directly we know what the source says, not whether the source
was right: a primary document can be a polemic, and a figure can be a single case (*anecdote*) or a
subtraction (*derived*). `cite(row)` prints a row with its grade, kind, role in the model and source."""


def share(scenario: str, note: str = "") -> list[Cell]:
    """The optional last cells: send this notebook's what-if, prediction and explanation to the class board."""
    return [
        md(
            "## Share with your class (optional)\n\n"
            "If your teacher runs the class board (`python -m sim class`), fill in its address, the join code and "
            "your group's name, and run the cell: your what-if, your prediction and your explanation appear on the "
            f"board beside the other groups'. Left empty, the cell does nothing.{note}"
        ),
        code(f'''\
BOARD = ""  # the board's address your teacher gives, e.g. "http://192.168.1.20:8766"
CODE = ""  # the class's join code
GROUP = ""  # your group's name
if BOARD:
    from sim.teaching import share
    share({scenario}, group=GROUP, prediction=str(prediction.answer or ""), explanation=my_explanation,
          board=BOARD, code=CODE)
else:
    print("No board address given: nothing shared.")'''),
    ]
