"""The sweep store: a folder that is consistent at every moment, knows what made it, and grows cheaply.

Layout::

    sweep.json                the validated sweep file, and what made the store (``made_from``):
                              the sweep file's text, the resolved base scenario (plain data and
                              its SHA-256) and the package version
    plan.parquet              one row per run: run_id, point, replicate, seed, every varied
                              parameter (written once, when the store is created)
    outcomes/<n>.parquet      the outcomes recorded since the previous flush, one row per run:
                              run_id, status (done, failed), error, seconds, the kept figures;
                              a later part supersedes an earlier one for the same run
    runs/<run_id>.parquet     the kept time-series columns of a done run (date index)

A store is created whole: its files are written in a hidden folder beside it,
which is then renamed into place, so the folder is either absent (or as empty as
it was) or a store that ``--resume`` finishes. Appending runs writes one part of
only the runs since the last flush, so a flush costs the same at 100 runs and at
100,000; the parts are merged into one when a sweep ends. Every file is written
through a temporary file and a rename, a run's own file before its outcome; so a
run an outcome calls done always has its file, and whatever a kill leaves beyond
that (a run file of a run still pending) is overwritten identically when the run
is done again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import DiskFullError, OutputError, OutputExistsError, ScenarioError, StoreError, is_disk_full
from sim.storage import cannot_create, check_writable, write_atomic
from sim.sweep.design import points
from sim.sweep.spec import SweepSpec, load_sweep_spec

SPEC_FILE = "sweep.json"
PLAN = "plan.parquet"
OUTCOMES = "outcomes"
RUNS = "runs"
STATUSES = ("pending", "done", "failed")
#: Columns of an outcome row besides the kept figures.
OUTCOME_COLUMNS = ("run_id", "status", "error", "seconds")


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


def made_from(spec: SweepSpec) -> dict[str, Any]:
    """What a store is made from: the package version, the resolved base scenario and its hash, the sweep file."""
    from sim import __version__

    base = spec.base.as_plain_data()
    text = None
    if spec.source != "<mapping>" and Path(spec.source).is_file():
        text = Path(spec.source).read_text(encoding="utf-8")
    return {"version": __version__, "base_sha256": _digest(base), "base": base, "sweep_file": text}


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _differences(old: Any, new: Any, prefix: str = "") -> list[str]:
    """``key: old -> new`` for every leaf that differs between two plain-data trees."""
    if isinstance(old, dict) and isinstance(new, dict):
        lines = []
        for key in [*old, *(k for k in new if k not in old)]:
            lines += _differences(old.get(key), new.get(key), f"{prefix}{key}.")
        return lines
    return [] if old == new else [f"{prefix.rstrip('.')}: {old!r} -> {new!r}"]


def _part_number(path: Path) -> int:
    return int(path.stem) if path.stem.isdigit() else -1


def _parts(directory: Path) -> list[Path]:
    """The outcome parts of a store, oldest first."""
    return sorted((p for p in (directory / OUTCOMES).glob("*.parquet") if p.stem.isdigit()), key=_part_number)


@dataclass
class Store:
    """An open sweep store (see the module docstring).

    Attributes:
        directory: The store.
        spec: The sweep it holds.
        manifest: One row per run with its status when the store was opened.
        unflushed: Outcome rows recorded since the last flush, by run id.
        next_part: Number of the next outcome part.
        recorded: Status of each run recorded since the store was opened, by run id.
    """

    directory: Path
    spec: SweepSpec
    manifest: pd.DataFrame
    unflushed: dict[str, dict[str, Any]] = field(default_factory=dict)
    next_part: int = 1
    recorded: dict[str, str] = field(default_factory=dict)
    run_ids: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.run_ids = frozenset(self.manifest["run_id"])

    @classmethod
    def open(cls, directory: str | Path, spec: SweepSpec, *, resume: bool) -> Store:
        """Create the store in ``directory``, or reopen it when ``resume``.

        With ``resume``, a folder that holds no store yet (a sweep killed while
        its store was being created) gets a new one.

        Raises:
            OutputExistsError: If ``directory`` holds a store and ``resume`` is not
                given; or holds a different sweep, a store made from a different base
                scenario or by another version; or holds other files.
            OutputError: If ``directory`` cannot be written.
        """
        directory = Path(directory)
        check_writable(directory, force=True)  # a name too long, a file, the current folder: before any look inside
        spec_file = directory / SPEC_FILE
        plain = spec.as_plain_data()
        plain.pop("source", None)
        origin = made_from(spec)
        if spec_file.exists():
            if not resume:
                raise OutputExistsError(
                    f"{directory}: holds a sweep store already; add --resume to finish it, or choose another --out"
                )
            stored = _read_document(directory)
            if not (directory / PLAN).exists():
                raise StoreError(_damaged(directory, PLAN, "it is missing"))
            _check_same(directory, stored, plain, origin, spec)
            following = max(map(_part_number, _parts(directory)), default=0) + 1
            return cls(directory, spec, load_sweep(directory).manifest, next_part=following)
        if directory.is_dir() and any(directory.iterdir()):
            raise OutputExistsError(f"{directory}: folder is not empty and holds no sweep store; choose another --out")
        check_writable(directory, force=False)
        store = cls(directory, spec, plan(spec))
        store._create(plain, origin)
        return store

    def _create(self, plain: dict[str, Any], origin: dict[str, Any]) -> None:
        """Write the new store in a hidden folder beside ``directory`` and rename it into place."""
        parent = self.directory.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        for stale in parent.glob(f".{self.directory.name[:100]}.creating-*"):
            shutil.rmtree(stale, ignore_errors=True)
        partial = parent / f".{self.directory.name[:100]}.creating-{os.getpid()}"
        try:
            partial.mkdir()
        except OSError as exc:
            if is_disk_full(exc):
                raise DiskFullError(self.directory, "no store was made; free some space and run again") from None
            raise cannot_create(self.directory, parent, exc) from None
        try:
            (partial / RUNS).mkdir()
            (partial / OUTCOMES).mkdir()
            plan_frame = self.manifest.drop(columns=["status", "error", "seconds"])
            write_atomic(partial / PLAN, _parquet_bytes(plan_frame, index=False))
            document = {**plain, "made_from": origin}
            write_atomic(partial / SPEC_FILE, (json.dumps(document, indent=2) + "\n").encode())
            if self.directory.is_dir():
                self.directory.rmdir()  # empty, as checked
            partial.rename(self.directory)
        except BaseException as exc:
            shutil.rmtree(partial, ignore_errors=True)
            if isinstance(exc, DiskFullError) or is_disk_full(exc):
                raise DiskFullError(self.directory, "no store was made; free some space and run again") from None
            raise

    def pending(self) -> pd.DataFrame:
        """Runs not yet done (pending or failed), in run order."""
        now = [self.recorded.get(r, s) for r, s in zip(self.manifest["run_id"], self.manifest["status"], strict=True)]
        return self.manifest[[status != "done" for status in now]]

    def record(self, outcome: dict[str, Any]) -> None:
        """Take the outcome of one run: write its time series, keep its row for the next :meth:`flush`."""
        run_id = outcome["run_id"]
        if run_id not in self.run_ids:
            raise KeyError(f"{run_id!r} is not a run of this sweep")
        self.recorded[run_id] = outcome["status"]
        if outcome["status"] == "done" and outcome["timeseries"] is not None:
            write_atomic(self.directory / RUNS / f"{run_id}.parquet", _parquet_bytes(outcome["timeseries"], index=True))
        figures = outcome["summary"] if outcome["status"] == "done" else {}
        self.unflushed[run_id] = {
            "run_id": run_id,
            "status": outcome["status"],
            "error": outcome["error"],
            "seconds": float(outcome["seconds"]),
            **figures,
        }

    def flush(self) -> None:
        """Write the outcomes recorded since the last flush as one new part (nothing if there are none)."""
        if not self.unflushed:
            return
        part = pd.DataFrame(list(self.unflushed.values()))
        write_atomic(self.directory / OUTCOMES / f"{self.next_part:08d}.parquet", _parquet_bytes(part, index=False))
        self.next_part += 1
        self.unflushed = {}

    def compact(self) -> None:
        """Merge the outcome parts into one (the latest outcome of each run), then remove the old parts.

        A kill in between leaves the merged part and some old ones; the merged
        part is the newest, so reading gives the same store.
        """
        self.flush()
        old = _parts(self.directory)
        if len(old) <= 1:
            return
        merged = _latest_outcomes(old)
        write_atomic(self.directory / OUTCOMES / f"{self.next_part:08d}.parquet", _parquet_bytes(merged, index=False))
        self.next_part += 1
        for path in old:
            path.unlink()


def _check_same(
    directory: Path, stored: dict[str, Any], plain: dict[str, Any], origin: dict[str, Any], spec: SweepSpec
) -> None:
    """Refuse to resume a store made by another sweep, from another base scenario, or by another version.

    Raises:
        OutputExistsError: Saying what changed.
    """
    made = stored.pop("made_from", {})
    if stored != plain:
        changed = "; ".join(_differences(stored, plain)[:5])
        raise OutputExistsError(
            f"{directory}: holds a different sweep (its {SPEC_FILE} differs from {spec.source}: {changed}); "
            "resume it with the same sweep file or choose another --out"
        )
    if made.get("version") != origin["version"]:
        raise OutputExistsError(
            f"{directory}: was made by ziliao {made.get('version')}, this is {origin['version']}; finish it with "
            f"that version, or choose another --out to run the sweep afresh"
        )
    if made.get("base_sha256") != origin["base_sha256"]:
        changed = "; ".join(_differences(made.get("base", {}), origin["base"])[:5]) or "its content"
        raise OutputExistsError(
            f"{directory}: its base scenario {spec.scenario} has changed since the store was made ({changed}); "
            f"restore it (the store's {SPEC_FILE} holds the original under made_from.base) or choose another --out"
        )


def _latest_outcomes(parts: list[Path]) -> pd.DataFrame:
    """The latest outcome row of each run over ``parts`` (oldest first), as one frame."""
    if not parts:
        return pd.DataFrame(columns=list(OUTCOME_COLUMNS))
    stacked = pd.concat([pd.read_parquet(path) for path in parts], ignore_index=True)
    latest = stacked.drop_duplicates("run_id", keep="last").reset_index(drop=True)
    # Rebuilt column by column from plain values, so the types do not depend on how runs fell into parts.
    return pd.DataFrame({column: latest[column].tolist() for column in latest.columns})


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


def _damaged(directory: Path, name: str, detail: str) -> str:
    return f"{directory}: {name}: {detail}, so the store cannot be read; run the sweep afresh into another --out"


def _read_document(directory: Path) -> dict[str, Any]:
    """``sweep.json`` of a store, as a table.

    Raises:
        StoreError: If it cannot be read or is not a JSON object.
    """
    try:
        stored = json.loads((directory / SPEC_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(_damaged(directory, SPEC_FILE, f"is not readable JSON ({exc})")) from None
    if not isinstance(stored, dict):
        raise StoreError(_damaged(directory, SPEC_FILE, f"holds a {type(stored).__name__}, not a JSON object"))
    return stored


def _read_table(directory: Path, path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A Parquet file of a store with at least ``columns``.

    Raises:
        StoreError: If it cannot be read as Parquet or lacks a column.
    """
    name = path.relative_to(directory).as_posix()
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise StoreError(_damaged(directory, name, f"is not a readable Parquet file ({exc})")) from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise StoreError(_damaged(directory, name, f"lacks the columns {', '.join(missing)}"))
    return frame


def load_sweep(directory: str | Path) -> SweepResults:
    """Read a sweep store written by :func:`sim.sweep.run_sweep`.

    Raises:
        OutputError: If ``directory`` holds no sweep store.
        StoreError: If one of its files is missing or damaged.
    """
    directory = Path(directory)
    has_spec, has_plan = (directory / SPEC_FILE).exists(), (directory / PLAN).exists()
    if not has_spec and not has_plan:
        raise OutputError(f"{directory}: is not a sweep store (no {SPEC_FILE} or {PLAN})")
    if not has_plan or not has_spec:
        raise StoreError(_damaged(directory, PLAN if has_spec else SPEC_FILE, "it is missing"))
    stored = _read_document(directory)
    stored.pop("made_from", None)
    try:
        spec = load_sweep_spec(stored)
    except ScenarioError as exc:
        detail = exc.problems[0].removeprefix("<mapping>: ")
        raise StoreError(_damaged(directory, SPEC_FILE, f"does not hold a valid sweep ({detail})")) from None
    planned = _read_table(directory, directory / PLAN, ("run_id", "point", "replicate", "seed", *spec.names))
    for name in spec.names:
        listed = spec.parameters[name].values
        numeric = listed is None or all(isinstance(v, int | float) and not isinstance(v, bool) for v in listed)
        if numeric and not pd.api.types.is_numeric_dtype(planned[name]):
            raise StoreError(_damaged(directory, PLAN, f"holds {planned[name].dtype} values of {name}, not numbers"))
    if not (directory / OUTCOMES).is_dir():
        raise StoreError(_damaged(directory, OUTCOMES, "is missing or not a folder"))
    for part in _parts(directory):
        statuses = set(_read_table(directory, part, OUTCOME_COLUMNS)["status"]) - set(STATUSES)
        if statuses:
            name = part.relative_to(directory).as_posix()
            raise StoreError(_damaged(directory, name, f"holds the status {sorted(map(str, statuses))[0]!r}"))
    outcomes = _latest_outcomes(_parts(directory))
    from sim.outputs import HEADLINE_FIGURES

    manifest = planned.copy()
    known = outcomes.set_index("run_id") if len(outcomes) else None
    joined = planned[["run_id"]].merge(outcomes[list(OUTCOME_COLUMNS)], on="run_id", how="left")
    manifest["status"] = pd.Series(joined["status"].fillna("pending").tolist(), dtype=object)
    manifest["error"] = pd.Series(joined["error"].fillna("").tolist(), dtype=object)
    manifest["seconds"] = joined["seconds"].astype(float).to_numpy()
    keys = ["run_id", "point", "replicate", "seed", *spec.names]

    figures = [f for f in (spec.keep.summary or HEADLINE_FIGURES) if f in outcomes.columns]
    done = manifest.loc[manifest["status"] == "done", keys]
    if known is not None and len(done):
        values = known.loc[done["run_id"], figures]
        summary = done.reset_index(drop=True)
        for figure in figures:
            summary[figure] = pd.Series(values[figure].tolist(), dtype=None)
    else:
        summary = pd.DataFrame(columns=["run_id", "point", "replicate", "seed"])
    return SweepResults(directory, spec, manifest, summary)
