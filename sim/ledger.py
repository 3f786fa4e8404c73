"""The request ledger: one row per request, one time stamp per stage.

Columns live in growable numpy arrays. Times are days since the run's start
(``nan`` for a stage not reached); :meth:`Ledger.frame` turns them into dates.
Requests by stage and category, and the pages in each stage, are kept as counts
that every stamp moves from the stage before to the stage stamped.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import numpy as np
import pandas as pd

from sim.catalog import AGENCY_KEYS, CATEGORIES, CHANNELS, SECTOR_KEYS
from sim.path import FLIGHT_STAGES, PREVIOUS, STAGE_DATE_COLUMNS, Stage
from sim.queueing import Batch

N_STAGES = len(Stage)
_N_CATEGORIES = len(CATEGORIES)
#: The stage a request is in just before it is stamped into each stage (from the declared path).
_BEFORE = np.array([PREVIOUS[stage] for stage in Stage])
_FLIGHT = list(FLIGHT_STAGES)
_STAGE_KEYS = [f"requests_{stage.key}" for stage in FLIGHT_STAGES]
_IN_FLIGHT_KEYS = [f"in_flight_{category}" for category in CATEGORIES]


class Ledger:
    """Every request ever created, with its attributes and stage times."""

    _INT_COLUMNS: ClassVar[dict[str, type]] = {
        "category": np.int8,
        "ministry": np.int8,
        "channel": np.int8,
        "agency": np.int16,
        "soviet_enterprise": np.int32,
        "sets": np.int32,
        "priority": np.bool_,
        "status": np.int8,
    }

    def __init__(self, capacity: int = 4096) -> None:
        self.n = 0
        self._capacity = capacity
        self.cols: dict[str, np.ndarray] = {
            name: np.full(capacity, -1, dtype) for name, dtype in self._INT_COLUMNS.items()
        }
        self.pages = np.zeros(capacity)
        self.times = np.full((capacity, N_STAGES), np.nan)
        self.handled = np.full(capacity, np.nan)
        self._deferred: list[tuple[np.ndarray, np.ndarray, Stage]] = []  # (ids, times, stage) not yet written
        self._counts = np.zeros(N_STAGES * _N_CATEGORIES, dtype=np.int64)  # requests by [stage, category], flat
        self._pages = np.zeros(N_STAGES)  # pages of the requests in each stage

    def __len__(self) -> int:
        return self.n

    def _grow(self, needed: int) -> None:
        capacity = self._capacity
        while capacity < needed:
            capacity *= 2
        for name, array in self.cols.items():
            grown = np.full(capacity, -1, array.dtype)
            grown[: self.n] = array[: self.n]
            self.cols[name] = grown
        self.pages = np.concatenate([self.pages, np.zeros(capacity - self._capacity)])
        self.times = np.vstack([self.times, np.full((capacity - self._capacity, N_STAGES), np.nan)])
        self.handled = np.concatenate([self.handled, np.full(capacity - self._capacity, np.nan)])
        self._capacity = capacity

    def create(self, times: np.ndarray, **columns: np.ndarray) -> np.ndarray:
        """Append requests created at ``times`` (days); return their ids."""
        count = len(times)
        if self.n + count > self._capacity:
            self._grow(self.n + count)
        new = slice(self.n, self.n + count)
        for name, values in columns.items():
            if name == "pages":
                self.pages[new] = values
            else:
                self.cols[name][new] = values
        self.cols["status"][new] = Stage.IN_TRANSIT
        self.times[new, Stage.IN_TRANSIT] = times
        self.n += count
        self._counts[:_N_CATEGORIES] += np.bincount(self.cols["category"][new], minlength=_N_CATEGORIES)
        self._pages[Stage.IN_TRANSIT] += self.pages[new].sum()
        return np.arange(new.start, new.stop)

    def _move(self, ids: np.ndarray, stages: np.ndarray) -> None:
        """Count requests ``ids`` out of the stage before ``stages`` and into ``stages``."""
        category = self.cols["category"][ids]
        before = _BEFORE[stages]
        size = N_STAGES * _N_CATEGORIES
        into, out_of = stages * _N_CATEGORIES + category, before * _N_CATEGORIES + category
        self._counts += np.bincount(into, minlength=size) - np.bincount(out_of, minlength=size)
        pages = self.pages[ids]
        self._pages += np.bincount(stages, pages, N_STAGES) - np.bincount(before, pages, N_STAGES)

    def defer(self, events: Batch, stage: Stage) -> None:
        """Queue stamps for ``stage`` (``events.items`` at ``events.times``); :meth:`flush` writes them."""
        if len(events):
            self._deferred.append((events.items, events.times, stage))

    def flush(self) -> None:
        """Write the deferred stamps, all at once.

        A request stamped in several stages within a step ends in the latest of
        them: stages only move forward along a request's life (``REJECTED`` comes
        after ``UNDER_REVIEW``), so its status is the largest stage stamped.
        """
        if not self._deferred:
            return
        items, times, stages = zip(*self._deferred, strict=True)
        ids = np.concatenate(items)
        stages = np.repeat(np.array(stages, dtype=np.int64), [len(i) for i in items])
        self.times[ids, stages] = np.concatenate(times)
        np.maximum.at(self.cols["status"], ids, stages.astype(np.int8))
        self._move(ids, stages)  # a request stamped twice moves twice: from the first stage's before to the second
        self._deferred.clear()

    @property
    def status(self) -> np.ndarray:
        """Current stage of every request."""
        return self.cols["status"][: self.n]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.pages[: self.n] if name == "pages" else self.cols[name][: self.n]

    def counts(self) -> np.ndarray:
        """Requests by ``[stage, category]`` now."""
        return self._counts.reshape(N_STAGES, _N_CATEGORIES).copy()

    def pages_in(self, stage: Stage) -> float:
        """Pages of the requests now in ``stage`` (0 when there are none, whatever rounding the moves left)."""
        anyone = self._counts[stage * _N_CATEGORIES : (stage + 1) * _N_CATEGORIES].any()
        return float(self._pages[stage]) if anyone else 0.0

    def observe(self) -> dict[str, float]:
        """The requests by stage now, and the pages awaiting translation (series with source ``ledger``)."""
        counts = self.counts()
        by_stage = counts.sum(axis=1).tolist()
        in_flight = counts[_FLIGHT].sum(axis=0).tolist()
        found: dict[str, float] = {
            "requests_created": sum(by_stage),
            "requests_fulfilled": by_stage[Stage.DELIVERED],
            "requests_rejected": by_stage[Stage.REJECTED],
            "requests_in_flight": sum(in_flight),
        }
        found.update(zip(_STAGE_KEYS, [by_stage[s] for s in FLIGHT_STAGES], strict=True))
        found.update(zip(_IN_FLIGHT_KEYS, in_flight, strict=True))
        found["pages_awaiting_translation"] = self.pages_in(Stage.ARRIVED)
        return found

    def frame(self, start: dt.date) -> pd.DataFrame:
        """The ledger as a table: one row per request, one date column per stage."""
        n = self.n
        origin = pd.Timestamp(start)

        def dates(days: np.ndarray) -> pd.Series:
            return (origin + pd.to_timedelta(np.round(days * 86400), unit="s")).astype("datetime64[ms]")

        def names(codes: np.ndarray, keys: tuple[str, ...]) -> pd.Categorical:
            return pd.Categorical.from_codes(codes.astype(np.int64), categories=list(keys))

        frame = pd.DataFrame(
            {
                "request_id": np.arange(n, dtype=np.int64),
                "category": names(self["category"], CATEGORIES),
                "ministry": names(self["ministry"], SECTOR_KEYS),
                "channel": names(self["channel"], CHANNELS),
                "agency": names(np.where(self["agency"] < 0, -1, self["agency"]), AGENCY_KEYS),
                "soviet_enterprise": self["soviet_enterprise"].astype(np.int64),
                "sets": self["sets"].astype(np.int64),
                "pages": self["pages"],
                "priority": self["priority"],
                "status": names(self.status, tuple(s.key for s in Stage)),
            }
        )
        for stage, column in STAGE_DATE_COLUMNS.items():
            frame[column] = dates(self.times[:n, stage])
        frame["handled"] = dates(self.handled[:n])
        return frame
