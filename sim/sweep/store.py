"""The sweep store: a folder that is consistent at every moment and can be resumed.

Layout::

    sweep.json                the validated sweep file (a resumed sweep must match it)
    manifest.parquet          one row per run: run_id, point, replicate, seed, every varied
                              parameter, status (pending, done, failed), error, seconds
    summary.parquet           one row per done run: run_id, point, replicate, seed, the
                              varied parameters, the kept summary figures
    runs/<run_id>.parquet     the kept time-series columns of a done run (date index)

Every file is written through a temporary file and a rename. A run's own file is
written first, then ``summary.parquet``, then ``manifest.parquet``; so a run the
manifest calls done always has its row and its file, and whatever a kill leaves
beyond that (a run file, a summary row of a run still pending) is overwritten
identically when the run is done again.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import OutputError, OutputExistsError
from sim.storage import check_writable, write_atomic
from sim.sweep.design import points
from sim.sweep.spec import SweepSpec, load_sweep_spec

SPEC_FILE = "sweep.json"
MANIFEST = "manifest.parquet"
SUMMARY = "summary.parquet"
RUNS = "runs"
STATUSES = ("pending", "done", "failed")


def replicate_seed(sweep_seed: int, replicate: int) -> int:
    """Seed of replicate ``replicate``: ``SeedSequence(sweep_seed).spawn(...)[replicate]`` as a 63-bit integer.

    Replicate ``r`` has the same seed at every point (common random numbers), so
    differences between points come from the parameters, not from the draws.
    """
    child = np.random.SeedSequence(sweep_seed).spawn(replicate + 1)[replicate]
    high, low = child.generate_state(2, dtype=np.uint32)
    return int((int(high) << 32 | int(low)) >> 1)


def plan(spec: SweepSpec) -> pd.DataFrame:
    """The manifest of a new sweep: every (point, replicate) pending."""
    design = points(spec)
    rows = []
    for point, values in design.iterrows():
        for replicate in range(spec.replicates):
            rows.append(
                {
                    "run_id": f"p{point:05d}r{replicate:03d}",
                    "point": int(point),
                    "replicate": replicate,
                    "seed": replicate_seed(spec.seed, replicate),
                    **{name: values[name] for name in spec.names},
                }
            )
    manifest = pd.DataFrame(rows)
    for name in spec.names:
        manifest[name] = manifest[name].astype(design[name].dtype)
    manifest["status"] = "pending"
    manifest["error"] = ""
    manifest["seconds"] = np.nan
    return manifest


def _parquet_bytes(frame: pd.DataFrame, *, index: bool) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=index)
    return buffer.getvalue()


@dataclass
class Store:
    """An open sweep store (see the module docstring)."""

    directory: Path
    spec: SweepSpec
    manifest: pd.DataFrame
    summary_rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def open(cls, directory: str | Path, spec: SweepSpec, *, resume: bool) -> Store:
        """Create the store in ``directory``, or reopen it when ``resume``.

        Raises:
            OutputExistsError: If ``directory`` is not empty and not resumed, or
                holds a different sweep.
            OutputError: If ``directory`` cannot be written.
        """
        directory = Path(directory)
        spec_file = directory / SPEC_FILE
        plain = spec.as_plain_data()
        plain.pop("source", None)
        if resume and spec_file.exists():
            stored = json.loads(spec_file.read_text())
            if stored != plain:
                raise OutputExistsError(
                    f"{directory}: holds a different sweep (its {SPEC_FILE} differs from {spec.source}); "
                    "resume it with the same sweep file or choose another --out"
                )
            manifest = pd.read_parquet(directory / MANIFEST)
            done = set(manifest.loc[manifest["status"] == "done", "run_id"])
            rows: dict[str, dict[str, Any]] = {}
            if (directory / SUMMARY).exists():
                summary = pd.read_parquet(directory / SUMMARY)
                rows = {r["run_id"]: r for r in summary.to_dict("records") if r["run_id"] in done}
            return cls(directory, spec, manifest, rows)
        if spec_file.exists() and not resume:
            raise OutputExistsError(f"{directory}: holds a sweep already; add --resume to finish it, or choose --out")
        check_writable(directory, force=False)
        (directory / RUNS).mkdir(parents=True, exist_ok=True)
        store = cls(directory, spec, plan(spec))
        write_atomic(spec_file, (json.dumps(plain, indent=2) + "\n").encode())
        store.flush()
        return store

    def pending(self) -> pd.DataFrame:
        """Runs not yet done (pending or failed), in run order."""
        return self.manifest[self.manifest["status"] != "done"]

    def record(self, outcome: dict[str, Any]) -> None:
        """Take the outcome of one run: write its time series, mark it in memory (call :meth:`flush` to persist)."""
        run_id = outcome["run_id"]
        row = self.manifest.index[self.manifest["run_id"] == run_id][0]
        self.manifest.loc[row, ["status", "error", "seconds"]] = [
            outcome["status"],
            outcome["error"],
            outcome["seconds"],
        ]
        if outcome["status"] == "done":
            if outcome["timeseries"] is not None:
                write_atomic(
                    self.directory / RUNS / f"{run_id}.parquet", _parquet_bytes(outcome["timeseries"], index=True)
                )
            keys = self.manifest.loc[row, ["run_id", "point", "replicate", "seed", *self.spec.names]].to_dict()
            self.summary_rows[run_id] = {**keys, **outcome["summary"]}
        else:
            self.summary_rows.pop(run_id, None)

    def flush(self) -> None:
        """Write ``summary.parquet`` and then ``manifest.parquet``, each atomically."""
        order = self.manifest["run_id"].tolist()
        rows = [self.summary_rows[r] for r in order if r in self.summary_rows]
        summary = pd.DataFrame(rows) if rows else pd.DataFrame(columns=["run_id", "point", "replicate", "seed"])
        write_atomic(self.directory / SUMMARY, _parquet_bytes(summary, index=False))
        write_atomic(self.directory / MANIFEST, _parquet_bytes(self.manifest, index=False))


@dataclass(frozen=True)
class SweepResults:
    """A sweep store read back as pandas frames.

    Attributes:
        directory: The store.
        spec: The sweep file as validated.
        manifest: One row per run (see the module docstring).
        summary: One row per done run: identifiers, varied parameters, kept figures.
    """

    directory: Path
    spec: SweepSpec
    manifest: pd.DataFrame
    summary: pd.DataFrame

    @property
    def complete(self) -> bool:
        """Whether every run is done."""
        return bool((self.manifest["status"] == "done").all())

    def timeseries(self, run_ids: list[str] | None = None) -> pd.DataFrame:
        """Kept time series of done runs, stacked long: ``run_id``, ``date`` and the kept columns."""
        done = self.manifest.loc[self.manifest["status"] == "done", "run_id"]
        wanted = done if run_ids is None else [r for r in run_ids if r in set(done)]
        frames = []
        for run_id in wanted:
            path = self.directory / RUNS / f"{run_id}.parquet"
            if path.exists():
                frames.append(pd.read_parquet(path).reset_index().assign(run_id=run_id))
        if not frames:
            return pd.DataFrame(columns=["run_id", "date"])
        stacked = pd.concat(frames, ignore_index=True)
        return stacked[["run_id", *[c for c in stacked.columns if c != "run_id"]]]


def load_sweep(directory: str | Path) -> SweepResults:
    """Read a sweep store written by :func:`sim.sweep.run_sweep`.

    Raises:
        OutputError: If ``directory`` holds no sweep store.
    """
    directory = Path(directory)
    if not (directory / SPEC_FILE).exists() or not (directory / MANIFEST).exists():
        raise OutputError(f"{directory}: is not a sweep store (no {SPEC_FILE} or {MANIFEST})")
    spec = load_sweep_spec(json.loads((directory / SPEC_FILE).read_text()))
    return SweepResults(directory, spec, pd.read_parquet(directory / MANIFEST), pd.read_parquet(directory / SUMMARY))
