"""Mesa's DataCollector, fed the declared series (:data:`sim.outputs.SERIES`) as model reporters."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import mesa

from sim.outputs import SERIES

if TYPE_CHECKING:
    from sim.model import TechTransferModel


def _reading(name: str, model: TechTransferModel) -> Any:
    """The value of series ``name`` in the model's latest observation."""
    return model.observation[name]


class SeriesCollector(mesa.DataCollector):
    """A ``DataCollector`` whose model reporters are the declared series, one per output.

    Every reporter reads the model's latest observation (``model.observation``),
    so Mesa's own :meth:`collect` works; :meth:`collect` here appends that
    observation in one pass instead of calling ~100 reporters.
    ``get_model_vars_dataframe()`` is the time series.
    """

    def __init__(self) -> None:
        super().__init__(model_reporters={o.name: functools.partial(_reading, o.name) for o in SERIES})

    def collect(self, model: mesa.Model) -> None:
        """Append the model's latest observation."""
        row = model.observation
        self._collection_steps.append(model.time)
        for name, values in self.model_vars.items():
            values.append(row[name])
