"""The six comparison cases whose ledger and time series are pinned by content hash.

They cover both channel disciplines, a closed commission, an early recall, exponential
service with a 10-day step, and a priority review with one clerk and a 3-day step: the
fast paths of the queues and of adoption, and the event loops they stand in for.
``python tests/pinned_cases.py`` prints the hashes; ``tests/test_regression.py``
checks them against ``tests/regression/pinned_hashes.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim import Scenario, load_scenario

STORED = Path(__file__).parent / "regression" / "pinned_hashes.json"

#: case name -> (library scenario, overrides by schema path)
CASES: dict[str, tuple[str, dict[str, object]]] = {
    "baseline": ("baseline_1952", {}),
    "office_priority": ("office_priority", {}),
    "no_commission": ("no_commission", {}),
    "early_recall_1957": ("early_recall_1957", {}),
    "exponential_office_10_day_step": ("baseline_1952", {"office.service": "exponential", "time.step_days": 10}),
    "priority_review_one_clerk_3_day_step": (
        "baseline_1952",
        {"soviet.discipline": "priority", "office.staff": 1, "time.step_days": 3},
    ),
}


def case_scenario(name: str) -> Scenario:
    """The scenario of one pinned case."""
    library_name, overrides = CASES[name]
    scenario = load_scenario(library_name)
    return scenario.with_overrides(overrides) if overrides else scenario


def frame_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of a frame's content: index, column names, dtypes and every value's bits, in order."""
    digest = hashlib.sha256()
    columns = [(str(frame.index.name), frame.index.to_series())] + [(str(c), frame[c]) for c in frame.columns]
    for name, column in columns:
        digest.update(f"{name}:{column.dtype}\n".encode())
        if isinstance(column.dtype, pd.CategoricalDtype):
            digest.update("\x1f".join(map(str, column.cat.categories)).encode())
            values = column.cat.codes.to_numpy()
        elif column.dtype == object:
            values = np.array([repr(v) for v in column.tolist()]).astype("U")
        else:
            values = column.to_numpy()
            if np.issubdtype(values.dtype, np.datetime64):
                values = values.view(np.int64)
        digest.update(np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()


def case_hashes(name: str, reference: bool = False) -> dict[str, str]:
    """Run one case and hash its ledger and time series; ``reference`` runs the model's reference switch."""
    from sim import TechTransferModel

    model = TechTransferModel(case_scenario(name), reference=reference)
    model.run()
    results = model.results()
    return {"ledger": frame_hash(results.ledger), "timeseries": frame_hash(results.timeseries)}


if __name__ == "__main__":
    found = {name: case_hashes(name) for name in CASES}
    if "--write" in sys.argv:
        STORED.write_text(json.dumps(found, indent=2) + "\n")
    print(json.dumps(found, indent=2))
