"""Dashboard latency: one step plus a redraw, and playing a whole scenario to its end.

Measures, at the default population (baseline_1952), what the server does for each
frame: step the model, then build and render to PNG the three figures the Explore
view shows (channel network, enterprise sample, six time-series panels) and the
headline figures, as ``solara.FigureMatplotlib`` does. The browser's own work
(transfer and paint) is not included. Prints and writes results_dashboard.json.

- step + redraw: median and 90th percentile over steps spread across the run (target <= 200 ms)
- play to the end: all 539 steps at the default speed (13 steps per frame) (target <= 30 s)

    .venv/bin/python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import io
import json
import statistics
import time
from pathlib import Path

from sim.dashboard import views
from sim.model import TechTransferModel

HERE = Path(__file__).parent
STEPS_PER_FRAME = 13  # the dashboard's default speed: a quarter year per frame


def redraw(model: TechTransferModel, sample: tuple) -> None:
    ts = views.timeseries(model)
    views.headline(model, ts)
    figures = (
        (views.channel_figure(model), 90),
        (views.enterprise_figure(model, *sample), 90),
        (views.timeseries_figure(ts, views.fired_events(model), model.config.title), 80),
    )
    for figure, dpi in figures:
        figure.savefig(io.BytesIO(), format="png", dpi=dpi)


def main() -> None:
    model = TechTransferModel("baseline_1952")
    sample = views.enterprise_sample(model)
    latencies = []
    while not model.finished:
        started = time.perf_counter()
        model.step()
        if model.steps_done % 25 == 1:
            redraw(model, sample)
            latencies.append(time.perf_counter() - started)
    model = TechTransferModel("baseline_1952")
    started = time.perf_counter()
    while not model.finished:
        for _ in range(STEPS_PER_FRAME):
            if not model.finished:
                model.step()
        redraw(model, sample)
    play = time.perf_counter() - started
    latencies.sort()
    figures = {
        "step_plus_redraw_ms_median": round(1000 * statistics.median(latencies), 1),
        "step_plus_redraw_ms_p90": round(1000 * latencies[int(0.9 * (len(latencies) - 1))], 1),
        "play_to_end_s": round(play, 1),
        "steps": model.steps_done,
        "steps_per_frame": STEPS_PER_FRAME,
    }
    for key, value in figures.items():
        print(f"{key:<28} {value}")
    (HERE / "results_dashboard.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
