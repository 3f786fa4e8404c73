"""The contract every process of a step keeps, and what the processes share.

A process is built from the parameters at the start of a run, reads the
parameters in force again whenever an event changes them (:meth:`Process.configure`),
plays the events of a step's interval (:meth:`Process.advance`) and reports its
outputs (:meth:`Process.observe`, the series that :mod:`sim.outputs` declares
with the process as ``source``). Processes pass requests on by calling the public
``receive`` method of the process that comes next on a request's path; none reads
another's state.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from sim.ledger import Ledger
from sim.params import Params
from sim.routes import Routes
from sim.streams import RandomStreams


@dataclass(frozen=True)
class Interval:
    """The days ``[t0, t1)`` of one step, counted from the start of the run."""

    t0: float
    t1: float

    @property
    def days(self) -> float:
        """The step's length in days."""
        return self.t1 - self.t0


@dataclass(frozen=True)
class Shared:
    """What every process may use: the request ledger, the routes and the random streams.

    Attributes:
        ledger: Every request and the time it entered each stage; processes
            create requests and stamp their stages (:meth:`sim.ledger.Ledger.defer`).
        routes: Delays and open flags of the channel network.
        streams: The run's named random streams; each process draws only from its own.
        reference: Play every queue event by event and recompute adoption whole
            every step, instead of the fast paths (same results; for tests).
    """

    ledger: Ledger
    routes: Routes
    streams: RandomStreams
    reference: bool = False


class Process(ABC):
    """One process of the step.

    Class attributes:
        name: The process's key (in the plan, and as the ``source`` of its outputs).
        does: What it does in a step, one sentence: the step order is made of these.
    """

    name: ClassVar[str]
    does: ClassVar[str]

    @abstractmethod
    def configure(self, params: Params) -> None:
        """Read the parameters in force (at the start, and after every event)."""

    @abstractmethod
    def advance(self, interval: Interval) -> None:
        """Play this step's events, up to ``interval.t1``."""

    def observe(self) -> dict[str, float]:
        """This process's outputs at the end of the step, by name (see :mod:`sim.outputs`)."""
        return {}


def mean(values: list[float] | np.ndarray) -> float:
    """The mean as ``np.mean`` computes it (pairwise sum), or ``nan`` for none; without its overhead."""
    return float(np.add.reduce(values)) / len(values) if len(values) else np.nan
