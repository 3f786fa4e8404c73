"""Sweep runner: parallel efficiency, overhead per run and the parent's memory.

200 runs of the baseline cut to 1958 (a grid of office staff x 20 replicates), run
once in this process (workers=1) and once on a pool of 2 workers. Prints:

- parallel efficiency = serial wall time / (2 x pool wall time)   (target >= 0.85)
- runner overhead per run = (serial wall time - sum of model seconds) / runs,
  as a share of the model's own time per run                      (target <= 5 %)
- peak RSS of the parent process after 20 and after all runs of the pool sweep
  (target: flat, at most 1.2x)

and writes the figures to benchmarks/results_sweep.json.

    .venv/bin/python benchmarks/bench_sweep.py [--runs 200]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from scaling import peak_rss_mib

from sim.sweep import run_sweep

HERE = Path(__file__).parent


def spec(runs: int) -> dict:
    replicates = max(runs // 10, 1)
    return {
        "title": "benchmark: baseline to 1958",
        "scenario": "baseline_1952",
        "until": "1958-12-31",
        "seed": 1,
        "replicates": replicates,
        "design": {"method": "grid"},
        "parameters": {"office.staff": {"values": list(range(6, 16))}},
        "keep": {"timeseries": ["office_queue", "technology_index"], "every": 4},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    plan = spec(args.runs)
    runs = 10 * plan["replicates"]
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        serial = run_sweep(plan, Path(tmp) / "serial", workers=1, progress=False)
        serial_wall = time.perf_counter() - started
        model_seconds = float(serial.manifest["seconds"].sum())

        rss: dict[int, float] = {}

        def note(_outcome: dict, counter=[0]) -> None:  # noqa: B006 - a counter local to this run
            counter[0] += 1
            if counter[0] in (20, runs):
                rss[counter[0]] = peak_rss_mib()

        started = time.perf_counter()
        run_sweep(plan, Path(tmp) / "pool", workers=2, progress=False, on_outcome=note)
        pool_wall = time.perf_counter() - started

    per_run_model = model_seconds / runs
    overhead = (serial_wall - model_seconds) / runs
    figures = {
        "runs": runs,
        "serial_wall_s": round(serial_wall, 2),
        "pool2_wall_s": round(pool_wall, 2),
        "model_s_per_run": round(per_run_model, 4),
        "runner_overhead_s_per_run": round(overhead, 4),
        "runner_overhead_share": round(overhead / per_run_model, 4),
        "parallel_efficiency_2_workers": round(serial_wall / (2 * pool_wall), 3),
        "throughput_runs_per_s_2_workers": round(runs / pool_wall, 3),
        "parent_peak_rss_mib_after_20": round(rss.get(20, float("nan")), 1),
        f"parent_peak_rss_mib_after_{runs}": round(rss.get(runs, float("nan")), 1),
        "parent_rss_growth": round(rss.get(runs, float("nan")) / rss.get(20, float("nan")), 3),
    }
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    (HERE / "results_sweep.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
