"""The request ledger: one row per request, one time stamp per stage.

Columns live in growable numpy arrays so that counting requests by stage and
category each step is one ``bincount``. Times are days since the run's start
(``nan`` for a stage not reached); :meth:`Ledger.frame` turns them into dates.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import numpy as np
import pandas as pd

from sim.catalog import AGENCY_KEYS, CATEGORIES, CHANNELS, SECTOR_KEYS, STAGE_DATE_COLUMNS, TERMINAL_STAGES, Stage
from sim.queueing import Batch, unzip

N_STAGES = len(Stage)
_FIRST_TERMINAL = min(TERMINAL_STAGES)  # the terminal stages come last


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
        self.cols = {name: np.full(capacity, -1, dtype) for name, dtype in self._INT_COLUMNS.items()}
        self.pages = np.zeros(capacity)
        self.times = np.full((capacity, N_STAGES), np.nan)
        self.handled = np.full(capacity, np.nan)
        self._deferred: list[tuple[np.ndarray, np.ndarray, Stage]] = []  # (ids, times, stage) not yet written
        self._flying = np.zeros(0, dtype=np.int64)  # ids in flight when last looked at
        self._seen = 0  # requests created by then
        self._ended_counts = np.zeros((N_STAGES, len(CATEGORIES)), dtype=np.int64)  # of the others

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
        return np.arange(new.start, new.stop)

    def stamp(self, ids: np.ndarray, stage: Stage, times: np.ndarray) -> None:
        """Move requests ``ids`` into ``stage`` at ``times``."""
        self.cols["status"][ids] = stage
        self.times[ids, stage] = times

    def stamp_pairs(self, pairs: list[tuple[int, float]], stage: Stage) -> None:
        """Move requests into ``stage`` now, from ``(id, time)`` pairs."""
        if pairs:
            ids, times = unzip(pairs)
            self.stamp(ids, stage, times)

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
        stages = np.repeat(np.array(stages, dtype=np.int8), [len(i) for i in items])
        self.times[ids, stages] = np.concatenate(times)
        np.maximum.at(self.cols["status"], ids, stages)
        self._deferred.clear()

    @property
    def status(self) -> np.ndarray:
        """Current stage of every request."""
        return self.cols["status"][: self.n]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.pages[: self.n] if name == "pages" else self.cols[name][: self.n]

    def in_flight(self) -> np.ndarray:
        """Ids of the requests still in flight (neither delivered nor rejected)."""
        status = self.cols["status"]
        flying = np.concatenate([self._flying, np.arange(self._seen, self.n)])
        ended = status[flying] >= _FIRST_TERMINAL
        if ended.any():
            done = flying[ended]
            self._ended_counts += _count(status[done], self.cols["category"][done])
            flying = flying[~ended]
        self._flying, self._seen = flying, self.n
        return flying

    def counts(self) -> np.ndarray:
        """Requests by ``[stage, category]`` now.

        Requests that have ended stay where they are, so they are counted once, as
        they end; only the requests still in flight are counted afresh.
        """
        flying = self.in_flight()
        return self._ended_counts + _count(self.cols["status"][flying], self.cols["category"][flying])

    def pages_in(self, stage: Stage) -> float:
        """Pages of the requests now in ``stage`` (a stage of requests in flight)."""
        flying = self.in_flight()
        return float(self.pages[flying[self.cols["status"][flying] == stage]].sum())

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


def _count(status: np.ndarray, category: np.ndarray) -> np.ndarray:
    """Requests by ``[stage, category]`` from their stages and categories."""
    index = status.astype(np.int64) * len(CATEGORIES) + category
    return np.bincount(index, minlength=N_STAGES * len(CATEGORIES)).reshape(N_STAGES, len(CATEGORIES))
