"""The whole baseline model as the Chinese enterprise population grows 1x, 10x, 100x.

Each size runs in a fresh interpreter (``python benchmarks/scaling.py --child K``)
so that its peak resident memory is its own. Every sector's ``enterprises`` is
multiplied by K; demand, channels and agencies are unchanged. Prints model time
(build + run to 1962-12-31) and peak RSS per size, and the fitted exponent b of
time ~ N^b.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

FACTORS = (1, 10, 100)


def peak_rss_mib() -> float:
    """This process's own peak resident memory (VmHWM; unlike ru_maxrss it is not inherited across exec)."""
    status = Path("/proc/self/status")
    for line in status.read_text().splitlines() if status.exists() else ():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(factor: int) -> dict:
    from sim import TechTransferModel, load_scenario
    from sim.agents import ChineseEnterprise
    from sim.catalog import SECTOR_KEYS

    base = load_scenario("baseline_1952")
    overrides = {f"sectors.{k}.enterprises": getattr(base.sectors, k).enterprises * factor for k in SECTOR_KEYS}
    scenario = base.with_overrides(overrides)
    started = time.perf_counter()
    model = TechTransferModel(scenario)
    built = time.perf_counter()
    model.run()
    done = time.perf_counter()
    return {
        "factor": factor,
        "enterprises": len(model.agents_by_type[ChineseEnterprise]),
        "build_s": built - started,
        "run_s": done - built,
        "model_s": done - started,
        "peak_rss_mib": peak_rss_mib(),
    }


def run(factors: tuple[int, ...] = FACTORS) -> tuple[list[dict], float]:
    """Measure each factor in its own process; return rows and the fitted exponent."""
    rows = []
    for factor in factors:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(factor)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    n = np.log([r["enterprises"] for r in rows])
    t = np.log([r["model_s"] for r in rows])
    exponent = float(np.polyfit(n, t, 1)[0])
    return rows, exponent


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]))))
    else:
        rows, exponent = run()
        for row in rows:
            print(row)
        print(f"exponent {exponent:.3f}")
