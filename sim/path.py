"""A request's path: its stages and the moves allowed between them, declared once.

Every request is in exactly one stage at every moment. It is created by a
ministry (``IN_TRANSIT`` to a channel), queued and worked off at the channel
(the Counsellor's Office or, after 1954, the joint commission), forwarded to the
Soviet agency that holds the material, reviewed there, then either rejected or
approved; approved material is copied by a Soviet enterprise, shipped to
Beijing, translated by the ministry and delivered to its enterprises.

:data:`MOVES` is the path: the stages each stage may lead to. The ledger's
counts (:mod:`sim.ledger`), the terminal and in-flight stages, the ledger's date
columns, the ODD's stage table and the invariant tests are all derived from it.
"""

from __future__ import annotations

from enum import IntEnum


class Stage(IntEnum):
    """Stages of a request's life, in the order a request reaches them (rejection last)."""

    IN_TRANSIT = 0
    QUEUED = 1
    FORWARDED = 2
    UNDER_REVIEW = 3
    APPROVED = 4
    COPYING = 5
    SHIPPED = 6
    ARRIVED = 7
    TRANSLATING = 8
    DELIVERED = 9
    REJECTED = 10

    @property
    def key(self) -> str:
        """The lower-case name used in column names."""
        return self.name.lower()


#: Stage -> the stages a request may move to from it; a stage with none is terminal.
MOVES: dict[Stage, tuple[Stage, ...]] = {
    Stage.IN_TRANSIT: (Stage.QUEUED,),
    Stage.QUEUED: (Stage.FORWARDED,),
    Stage.FORWARDED: (Stage.UNDER_REVIEW,),
    Stage.UNDER_REVIEW: (Stage.APPROVED, Stage.REJECTED),
    Stage.APPROVED: (Stage.COPYING,),
    Stage.COPYING: (Stage.SHIPPED,),
    Stage.SHIPPED: (Stage.ARRIVED,),
    Stage.ARRIVED: (Stage.TRANSLATING,),
    Stage.TRANSLATING: (Stage.DELIVERED,),
    Stage.DELIVERED: (),
    Stage.REJECTED: (),
}

#: Stage -> (when a request enters it, what the request is then), for the ODD's table.
MEANING: dict[Stage, tuple[str, str]] = {
    Stage.IN_TRANSIT: ("a ministry creates it", "travelling from Beijing to the channel"),
    Stage.QUEUED: ("it arrives at the channel", "waiting for, or being handled by, the channel's staff"),
    Stage.FORWARDED: ("the staff finish handling it", "travelling from the channel to the Soviet agency"),
    Stage.UNDER_REVIEW: (
        "it arrives at the agency",
        "waiting for a reviewer, being reviewed, then under deliberation",
    ),
    Stage.APPROVED: (
        "the deliberation ends with approval",
        "travelling to a Soviet enterprise and waiting there to be copied",
    ),
    Stage.REJECTED: ("the deliberation ends with rejection", "finished (terminal)"),
    Stage.COPYING: ("the enterprise starts copying it", "being copied"),
    Stage.SHIPPED: ("copying ends", "travelling to the channel and from the channel to Beijing"),
    Stage.ARRIVED: ("it reaches Beijing", "waiting for the ministry's translators"),
    Stage.TRANSLATING: ("translation starts", "being translated"),
    Stage.DELIVERED: ("translation ends", "handed to the sector's enterprises (terminal)"),
}


def _previous() -> dict[Stage, Stage]:
    """The one stage from which each stage is entered (the first stage: itself)."""
    previous = {Stage.IN_TRANSIT: Stage.IN_TRANSIT}
    for stage, nexts in MOVES.items():
        for following in nexts:
            if following in previous:
                raise ValueError(f"{following.key} is entered from two stages")
            previous[following] = stage
    missing = set(Stage) - set(previous)
    if missing:
        raise ValueError(f"no move enters {sorted(s.key for s in missing)}")
    return previous


#: Stage -> the stage a request is in just before it enters it.
PREVIOUS: dict[Stage, Stage] = _previous()
#: Stages from which a request moves no more.
TERMINAL_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if not MOVES[s])
#: Stages of requests still in flight.
FLIGHT_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if MOVES[s])


def route(stage: Stage) -> tuple[Stage, ...]:
    """The stages a request passes through to reach ``stage``, from creation, in order."""
    stages = [stage]
    while stages[-1] is not Stage.IN_TRANSIT:
        stages.append(PREVIOUS[stages[-1]])
    return tuple(reversed(stages))


#: The date column in the ledger for entering each stage (``created`` for the
#: first, since a request is in transit from the moment it is created).
STAGE_DATE_COLUMNS: dict[Stage, str] = {s: ("created" if s is Stage.IN_TRANSIT else s.key) for s in Stage}
