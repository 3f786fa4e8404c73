"""Measure the baseline run: model time (build + run to 1962-12-31) and whole-process time.

Usage: python benchmarks/run_baseline.py [--repeats N]

Prints the population, the number of requests, and for model time the best and
median of N runs in this process; for whole-process time, `python -m sim run
baseline_1952 --no-plots` in a fresh interpreter. Target (issue 7): model time
under 1 s on the project's 2-core machine. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim import TechTransferModel, load_scenario
from sim.agents import ChineseEnterprise


def model_time(repeats: int) -> tuple[list[float], list[float], TechTransferModel]:
    scenario = load_scenario("baseline_1952")
    builds, runs = [], []
    model = None
    for _ in range(repeats):
        started = time.perf_counter()
        model = TechTransferModel(scenario)
        built = time.perf_counter()
        model.run()
        builds.append(built - started)
        runs.append(time.perf_counter() - built)
    return builds, runs, model


def process_time() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sim",
                "run",
                "baseline_1952",
                "--out",
                str(Path(tmp) / "out"),
                "--no-plots",
                "--quiet",
            ],
            check=True,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    builds, runs, model = model_time(args.repeats)
    totals = [b + r for b, r in zip(builds, runs, strict=True)]
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    chinese = len(model.agents_by_type[ChineseEnterprise])
    print(
        f"baseline: {chinese:,} Chinese enterprises, {len(model.soviet_enterprises)} Soviet enterprises, "
        f"{len(model.agencies)} agencies, {model.steps_done} weekly steps, {len(model.ledger):,} requests"
    )
    print(
        f"model time (build + run), {args.repeats} runs: "
        f"best {min(totals):.3f} s, median {statistics.median(totals):.3f} s"
    )
    print(f"  of which build: median {statistics.median(builds):.3f} s; run: median {statistics.median(runs):.3f} s")
    print(f"  per step: {1000 * statistics.median(runs) / model.steps_done:.2f} ms")
    print(f"whole process (python -m sim run --no-plots): {process_time():.2f} s")
    print("target: model time < 1 s (issue 7)")


if __name__ == "__main__":
    main()
