"""A fixed-seed regression baseline: the baseline scenario's summary must not change silently.

If a change to the model is meant to change results, regenerate the file with
``UPDATE_REGRESSION=1 .venv/bin/python -m pytest tests/test_regression.py`` and say
why in the commit message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pinned_cases import CASES, case_hashes
from pinned_cases import STORED as PINNED

STORED = Path(__file__).parent / "regression" / "baseline_1952_seed1952.json"


def test_baseline_summary_is_unchanged(baseline_results):
    summary = dict(baseline_results.summary)
    if os.environ.get("UPDATE_REGRESSION"):
        STORED.write_text(json.dumps(summary, indent=2) + "\n")
        pytest.skip(f"regenerated {STORED.name}")
    stored = json.loads(STORED.read_text())
    assert summary.keys() == stored.keys()
    changed = {k: (stored[k], summary[k]) for k in stored if summary[k] != stored[k]}
    assert not changed, f"baseline results changed (stored, now): {changed}"


@pytest.mark.parametrize("case", sorted(CASES))
def test_pinned_case_is_bit_identical(case):
    """The ledger and time series of each comparison case, by content hash (see tests/pinned_cases.py).

    A change meant to move results re-pins with ``python tests/pinned_cases.py --write``
    and says why in its commit message.
    """
    stored = json.loads(PINNED.read_text())[case]
    assert case_hashes(case) == stored


@pytest.mark.parametrize("case", sorted(CASES))
def test_reference_run_is_bit_identical_to_the_fast_run(case):
    """``reference=True`` (event-loop queues, adoption recomputed whole every step) gives the pinned hashes.

    The fast run gives them too (the test above), so the fast paths of the queues
    and of adoption play exactly what the event loops and the full recomputation do,
    the channels' utilisation included.
    """
    stored = json.loads(PINNED.read_text())[case]
    assert case_hashes(case, reference=True) == stored
