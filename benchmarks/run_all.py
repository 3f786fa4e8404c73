"""Every benchmark in one run: prints a table and writes benchmarks/results.md.

    .venv/bin/python benchmarks/run_all.py      (or: make bench)

Sections: the baseline run (model and whole-process time), adoption diffusion
beside Mesa's virus_on_network and the NumPy floor (diffusion.py), the whole model
as the population grows (scaling.py), and the dashboard and sweep figures
(bench_dashboard.py, bench_sweep.py and bench_class.py write results_*.json; they are run here
unless --reuse is given and their files exist). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import diffusion  # noqa: E402
import run_baseline  # noqa: E402
import scaling  # noqa: E402


def _json(name: str, reuse: bool) -> dict | None:
    path = HERE / f"results_{name}.json"
    if not (reuse and path.exists()):
        subprocess.run([sys.executable, str(HERE / f"bench_{name}.py")], check=True)
    return json.loads(path.read_text()) if path.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="reuse results_dashboard/sweep/class.json if present")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    lines = [
        "# Benchmark results",
        "",
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}, by `benchmarks/run_all.py`.",
        "",
    ]

    builds, runs, model = run_baseline.model_time(args.repeats)
    totals = [b + r for b, r in zip(builds, runs, strict=True)]
    process = run_baseline.process_time()
    lines += [
        "## Baseline run",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| model time (build + 539 steps), best of {args.repeats} | {min(totals):.2f} s | < 1 s |",
        f"| model time, median | {statistics.median(totals):.2f} s | |",
        f"| per step, median | {1000 * statistics.median(runs) / model.steps_done:.2f} ms | |",
        f"| whole process (`python -m sim run --no-plots`) | {process:.2f} s | |",
        "",
    ]

    rows = diffusion.run()
    lines += [
        f"## Adoption diffusion, {diffusion.STEPS} weekly steps, mean degree 9",
        "",
        "| N | Ziliao (node-steps/s) | NumPy floor | Mesa virus_on_network | Mesa steps timed "
        "| Ziliao / Mesa (target >= 50) | floor / Ziliao (target <= 3) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['N']:,} | {r['ziliao_node_steps_per_s']:,.0f} | {r['floor_node_steps_per_s']:,.0f} "
            f"| {r['mesa_node_steps_per_s']:,.0f} | {r['mesa_steps']} | {r['ziliao_vs_mesa']:.1f} "
            f"| {r['floor_vs_ziliao']:.2f} |"
        )
    lines += ["", "Ziliao and the floor update five categories per node-step; Mesa's example one state.", ""]

    scaled, exponent = scaling.run()
    local = None
    if len(scaled) >= 2:
        import math

        a, b = scaled[-2], scaled[-1]
        local = math.log(b["model_s"] / a["model_s"]) / math.log(b["enterprises"] / a["enterprises"])
    lines += [
        "## The whole model as the population grows",
        "",
        "| factor | enterprises | build | run | model time | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    for r in scaled:
        lines.append(
            f"| {r['factor']}x | {r['enterprises']:,} | {r['build_s']:.2f} s | {r['run_s']:.2f} s "
            f"| {r['model_s']:.2f} s | {r['peak_rss_mib']:.0f} MiB |"
        )
    lines += [
        "",
        f"Fitted exponent of time ~ N^b over all sizes: b = {exponent:.2f}; between the last two sizes: "
        f"b = {local:.2f} (target <= 1.1; peak memory at 100x under 2 GiB).",
        "",
    ]

    dashboard, sweep = _json("dashboard", args.reuse), _json("sweep", args.reuse)
    lines += ["## Dashboard and sweeps", "", "| figure | value | target |", "|---|---|---|"]
    if dashboard:
        lines += [
            f"| dashboard step + redraw, median | {dashboard['step_plus_redraw_ms_median']:.0f} ms | <= 200 ms |",
            f"| dashboard step + redraw, 90th percentile | {dashboard['step_plus_redraw_ms_p90']:.0f} ms | |",
            f"| dashboard step + redraw, slowest (a full redraw: new axis limits or an event) "
            f"| {dashboard['step_plus_redraw_ms_max']:.0f} ms | |",
            f"| dashboard play to the end ({dashboard['steps_per_frame']} steps per frame) "
            f"| {dashboard['play_to_end_s']:.1f} s | <= 30 s |",
        ]
        if "browser_click_to_update_ms_median" in dashboard:
            lines += [
                f"| in chromium: click on Step to the new date painted, median of {dashboard['browser_clicks']} "
                f"| {dashboard['browser_click_to_update_ms_median']:.0f} ms | |",
                f"| in chromium: click to paint, 90th percentile "
                f"| {dashboard['browser_click_to_update_ms_p90']:.0f} ms | <= 200 ms |",
                f"| in chromium: Play pressed until the last step shows "
                f"| {dashboard['browser_play_to_end_s']:.1f} s | |",
                f"| in chromium: the same at the top speed "
                f"| {dashboard['browser_play_to_end_top_speed_s']:.1f} s | <= 20 s |",
                f"| in chromium: first paint of a new session on a warm server, median "
                f"| {dashboard['browser_first_paint_s_median']:.2f} s | <= 3 s |",
                f"| server memory after 50 sessions / after the first "
                f"| {dashboard['server_rss_growth']:.2f} | <= 1.2 |",
            ]
    if sweep:
        lines += [
            f"| sweep: parallel efficiency, 2 workers, {sweep['runs']} runs | "
            f"{sweep['parallel_efficiency_2_workers']:.2f} | >= 0.85 |",
            f"| sweep: runner overhead per run | {100 * sweep['runner_overhead_share']:.1f} % | <= 5 % |",
            f"| sweep: throughput, 2 workers | {sweep['throughput_runs_per_s_2_workers']:.2f} runs/s | |",
            f"| sweep: parent peak RSS after all runs / after 20 | {sweep['parent_rss_growth']:.2f} | <= 1.2 |",
        ]
    board = _json("class", args.reuse)
    if board and "process" in board:
        lines += [
            "",
            "## Class board: 30 groups hand in within 10 s",
            "",
            "| figure | runs in a process | in a thread | target |",
        ]
        lines += ["|---|---|---|---|"]
        for label, key, unit, target in (
            ("stored", "stored", "", "30"),
            ("to the teacher's board, median", "to_board_s_median", " s", ""),
            ("to the teacher's board, slowest", "to_board_s_max", " s", "<= 2 s"),
            ("a click on the teacher's page, median", "round_trip_ms_median", " ms", ""),
            ("all thirty run", "all_run_s", " s", ""),
            ("server memory (with its worker)", "server_rss_mib", " MiB", ""),
        ):
            lines.append(f"| {label} | {board['process'][key]}{unit} | {board['thread'][key]}{unit} | {target} |")
    text = "\n".join(lines) + "\n"
    (HERE / "results.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
