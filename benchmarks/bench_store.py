"""The sweep store as it grows: the cost of a flush at 1,000, 10,000 and 100,000 runs.

For each size, a store of an LHS design with that many runs is filled with synthetic
outcomes (no model runs) in flushes of 1,000, up to 100 runs short of full; then 10 flushes
of 10 runs each are timed. Beside it, the cost of what the store did before (rewriting the
whole summary and manifest at every flush) is measured on the same frames. Prints a table
and writes benchmarks/results_store.json.

    .venv/bin/python benchmarks/bench_store.py
"""

from __future__ import annotations

import io
import json
import statistics
import tempfile
import time
from pathlib import Path

from sim.sweep import load_sweep_spec
from sim.sweep.store import Store, load_sweep

HERE = Path(__file__).parent
SIZES = (1_000, 10_000, 100_000)
FIGURES = ("requests_created", "requests_fulfilled", "lead_time_days_mean", "technology_index")


def spec(runs: int):
    return load_sweep_spec(
        {
            "title": f"benchmark store of {runs} runs",
            "scenario": "baseline_1952",
            "until": "1953-01-31",
            "seed": 1,
            "design": {"method": "lhs", "samples": runs},
            "parameters": {"office.staff": {"low": 2, "high": 20}, "adoption.own_rate": {"low": 0.001, "high": 0.01}},
            "keep": {"summary": list(FIGURES)},
        }
    )


def outcome(run_id: str, i: int) -> dict:
    return {
        "run_id": run_id,
        "status": "done",
        "error": "",
        "seconds": 0.5,
        "summary": {name: float(i + k) for k, name in enumerate(FIGURES)},
        "timeseries": None,
    }


def measure(runs: int, folder: Path) -> dict:
    store = Store.open(folder / f"store{runs}", spec(runs), resume=False)
    ids = store.manifest["run_id"].tolist()
    fill = len(ids) - 100
    for i, run_id in enumerate(ids[:fill]):
        store.record(outcome(run_id, i))
        if (i + 1) % 1000 == 0:
            store.flush()
    store.flush()
    flushes = []
    for batch in range(10):
        for i in range(fill + 10 * batch, fill + 10 * (batch + 1)):
            store.record(outcome(ids[i], i))
        started = time.perf_counter()
        store.flush()
        flushes.append(time.perf_counter() - started)
    started = time.perf_counter()
    results = load_sweep(store.directory)
    load = time.perf_counter() - started
    started = time.perf_counter()
    for frame in (results.summary, results.manifest):  # what the old store wrote at every flush
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        (folder / "rewrite.parquet").write_bytes(buffer.getvalue())
    rewrite = time.perf_counter() - started
    started = time.perf_counter()
    store.compact()
    compact = time.perf_counter() - started
    assert results.complete
    return {
        "runs": runs,
        "flush_ms_median": 1000 * statistics.median(flushes),
        "flush_ms_max": 1000 * max(flushes),
        "whole_rewrite_ms": 1000 * rewrite,
        "load_ms": 1000 * load,
        "compact_ms": 1000 * compact,
    }


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for runs in SIZES:
            rows.append(measure(runs, Path(tmp)))
    print("| runs | flush of 10 runs, median | max | old: whole rewrite | load_sweep | compact (once, at the end) |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['runs']:,} | {r['flush_ms_median']:.1f} ms | {r['flush_ms_max']:.1f} ms | "
            f"{r['whole_rewrite_ms']:.0f} ms | {r['load_ms']:.0f} ms | {r['compact_ms']:.0f} ms |"
        )
    (HERE / "results_store.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
