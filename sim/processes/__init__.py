"""The processes of a step, and the plan that orders them.

:func:`build_plan` builds every process and wires each to the next on a
request's path; the tuple it returns is the order in which
:meth:`sim.model.TechTransferModel.step` advances them, and the step order in
``TechTransferModel.step.__doc__`` and docs/ODD.md is made from their ``does``.
"""

from __future__ import annotations

from sim.params import Params
from sim.processes.adoption import Adoption
from sim.processes.base import Interval, Process, Shared
from sim.processes.channels import Channels
from sim.processes.copying import Copying
from sim.processes.demand import Demand
from sim.processes.review import Review
from sim.processes.shipping import Shipping
from sim.processes.standards import Standards
from sim.processes.translation import Translation

__all__ = [
    "PLAN",
    "Adoption",
    "Channels",
    "Copying",
    "Demand",
    "Interval",
    "Process",
    "Review",
    "Shared",
    "Shipping",
    "Standards",
    "Translation",
    "build_plan",
]


#: The order in which a step advances the processes: the order in which requests pass through them.
PLAN: tuple[type[Process], ...] = (Demand, Channels, Review, Copying, Shipping, Translation, Standards, Adoption)


def build_plan(shared: Shared, params: Params) -> tuple[Process, ...]:
    """Build the processes, each wired to the one it hands requests or material to, in the order of :data:`PLAN`."""
    adoption = Adoption(shared, params)
    standards = Standards(shared, params)
    translation = Translation(shared, params, adoption=adoption, standards=standards)
    shipping = Shipping(shared, params, to=translation)
    copying = Copying(shared, params, to=shipping)
    review = Review(shared, params, to=copying)
    channels = Channels(shared, params, to=review)
    demand = Demand(shared, params, to=channels)
    every: tuple[Process, ...] = (adoption, standards, translation, shipping, copying, review, channels, demand)
    built = {type(p): p for p in every}
    return tuple(built[kind] for kind in PLAN)
