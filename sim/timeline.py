"""The calendar: model steps and days mapped to dates."""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

import numpy as np

from sim.errors import DateError


@dataclass(frozen=True)
class Calendar:
    """Steps of ``step_days`` days from ``start``; the run ends on ``end``.

    Step ``k`` (counting from 0) covers days ``[k * step_days, (k + 1) * step_days)``
    after ``start``; after ``k`` steps the model's date is ``start + k * step_days``.
    """

    start: dt.date
    end: dt.date
    step_days: int

    @property
    def n_steps(self) -> int:
        """Steps needed to reach ``end``."""
        return math.ceil((self.end - self.start).days / self.step_days)

    @functools.cached_property
    def dates(self) -> np.ndarray:
        """The date after ``k`` steps for every ``k`` from 0 to :attr:`n_steps` (``datetime64[D]``)."""
        return np.datetime64(self.start, "D") + np.arange(self.n_steps + 1) * self.step_days

    def date(self, steps: int) -> dt.date:
        """The date after ``steps`` steps."""
        return self.start + dt.timedelta(days=steps * self.step_days)

    def day(self, when: dt.date) -> int:
        """Days from ``start`` to ``when``."""
        return (when - self.start).days

    def steps_until(self, when: dt.date) -> int:
        """Steps after which the model's date is on or past ``when``."""
        return math.ceil(self.day(when) / self.step_days)

    def step_containing(self, when: dt.date) -> int:
        """Index of the step whose days include ``when``."""
        return self.day(when) // self.step_days


def parse_date(value: str | dt.date) -> dt.date:
    """Accept a date or an ISO string (``"1962-12-31"``).

    Raises:
        DateError: With the expected form, if ``value`` is not a date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DateError(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 1962-12-31") from None
