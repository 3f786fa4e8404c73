"""The parameter schema: every tunable number, with its unit, range and source.

This is the one place a parameter is declared. Scenario files, ``--set`` on the
command line, scenario events, the dashboard and the sweeps all read these
declarations; ``python -m sim params`` prints them as the table in docs/ODD.md.

Each field carries ``unit``, ``source`` and ``static`` in its
``json_schema_extra``. ``source`` is either ``history:<id>`` (a row of
``data/history_targets.csv``) or begins with ``assumption``. ``static``
parameters shape the model when it is built and cannot be changed by events.
Rates are per week of model time whatever ``time.step_days`` is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from sim.catalog import CATEGORIES, SECTORS

ASSUMPTION = "assumption"


def param(
    default: Any,
    *,
    unit: str,
    description: str,
    source: str = ASSUMPTION,
    ge: float | dt.date | None = None,
    le: float | dt.date | None = None,
    static: bool = False,
) -> Any:
    """Declare a parameter: a pydantic field with its unit, range and source."""
    return Field(
        default,
        ge=ge,
        le=le,
        description=description,
        json_schema_extra={"unit": unit, "source": source, "static": static, "ge": ge, "le": le},
    )


class Section(BaseModel):
    """Base of every parameter group: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class CategoryTable(Section):
    """One value per material category; a scalar in a file sets all five."""

    @model_validator(mode="before")
    @classmethod
    def _broadcast(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return dict.fromkeys(CATEGORIES, value)
        return value

    def array(self) -> np.ndarray:
        """Values in the order of :data:`sim.catalog.CATEGORIES`."""
        return np.array([getattr(self, k) for k in CATEGORIES], dtype=float)


def category_table(
    name: str, defaults: dict[str, float], *, ge: float | None = None, le: float | None = None
) -> type[CategoryTable]:
    """Make the model of a per-category parameter: five bounded floats with defaults."""
    fields = {k: (float, Field(defaults[k], ge=ge, le=le)) for k in CATEGORIES}
    return create_model(name, __base__=CategoryTable, **fields)


def per_category(
    table: type[CategoryTable],
    *,
    unit: str,
    description: str,
    source: str = ASSUMPTION,
    static: bool = False,
) -> Any:
    """Declare a per-category parameter of type ``table`` (see :func:`category_table`)."""
    first = table.model_fields[CATEGORIES[0]].metadata
    bounds = {type(m).__name__: m for m in first}
    return Field(
        default_factory=table,
        description=description,
        json_schema_extra={
            "unit": unit,
            "source": source,
            "static": static,
            "ge": getattr(bounds.get("Ge"), "ge", None),
            "le": getattr(bounds.get("Le"), "le", None),
        },
    )


RequestsPerWeek = category_table(
    "RequestsPerWeek",
    {"standards": 2.2, "typical_designs": 8.0, "operating_procedures": 6.0, "blueprints": 12.0, "norms": 7.0},
    ge=0,
    le=1000,
)

SetsPerRequest = category_table(
    "SetsPerRequest",
    {"standards": 8.0, "typical_designs": 1.6, "operating_procedures": 2.0, "blueprints": 3.5, "norms": 5.0},
    ge=1,
    le=1000,
)

ReviewWeeks = category_table(
    "ReviewWeeks",
    {"standards": 4.0, "typical_designs": 8.0, "operating_procedures": 6.0, "blueprints": 10.0, "norms": 6.0},
    ge=0,
    le=260,
)

Approval = category_table(
    "Approval",
    {"standards": 0.95, "typical_designs": 0.9, "operating_procedures": 0.85, "blueprints": 0.8, "norms": 0.85},
    ge=0,
    le=1,
)

PagesPerSet = category_table(
    "PagesPerSet",
    {"standards": 12.0, "typical_designs": 120.0, "operating_procedures": 60.0, "blueprints": 30.0, "norms": 20.0},
    ge=0,
    le=100000,
)

OwnRate = category_table(
    "OwnRate",
    {
        "standards": 0.003,
        "typical_designs": 0.002,
        "operating_procedures": 0.0025,
        "blueprints": 0.0025,
        "norms": 0.002,
    },
    ge=0,
    le=1,
)

PeerRate = category_table(
    "PeerRate",
    {"standards": 0.015, "typical_designs": 0.01, "operating_procedures": 0.012, "blueprints": 0.012, "norms": 0.01},
    ge=0,
    le=1,
)

SetsForCoverage = category_table(
    "SetsForCoverage",
    {"standards": 2.0, "typical_designs": 0.5, "operating_procedures": 0.5, "blueprints": 1.5, "norms": 1.0},
    ge=1e-9,
    le=100000,
)


EARLIEST, LATEST = dt.date(1949, 10, 1), dt.date(1979, 12, 31)  # founding of the PRC; before the 1980s


class TimeParams(Section):
    """The calendar of a run."""

    start: dt.date = param(
        dt.date(1952, 9, 6),
        unit="date",
        ge=EARLIEST,
        le=LATEST,
        static=True,
        source="history:channel_1952",
        description="First day of the run: the date of Zhou Enlai's letter.",
    )
    end: dt.date = param(
        dt.date(1962, 12, 31),
        unit="date",
        ge=EARLIEST,
        le=LATEST,
        static=True,
        source="history:sets_total_1953_62",
        description="Last day of the run: the end of the Second Five-Year Plan.",
    )
    step_days: int = param(7, unit="days", ge=1, le=31, static=True, description="Length of one model step.")

    @model_validator(mode="after")
    def _ordered(self) -> TimeParams:
        if self.end <= self.start:
            raise ValueError(f"end ({self.end}) must come after start ({self.start})")
        return self


class DemandParams(Section):
    """How ministries turn the plan into requests."""

    requests_per_week: RequestsPerWeek = per_category(
        RequestsPerWeek,
        unit="requests per week",
        source="assumption (scaled so that sets supplied match history:sets_total_1953_62)",
        description="Requests created per week by all ministries together at plan intensity 1.",
    )
    sets_per_request: SetsPerRequest = per_category(
        SetsPerRequest,
        unit="sets",
        description="Mean sets asked for in one request (1 + Poisson).",
    )
    plan_intensity: float = param(
        0.4,
        unit="multiplier",
        ge=0,
        le=10,
        description="Scales all demand; events raise it through the First Five-Year Plan.",
    )
    priority_share: float = param(
        0.3,
        unit="share",
        ge=0,
        le=1,
        source="assumption (requests for the key projects, history:key_projects)",
        description="Share of requests marked priority (served first under the priority discipline).",
    )


class ChannelParams(Section):
    """A channel through which ministries send requests and receive material."""

    open: bool = param(True, unit="on/off", description="Whether new requests may use this channel.")
    staff: int = param(10, unit="persons", ge=1, le=1000, description="Staff working off requests.")
    requests_per_staff_week: float = param(
        6.0,
        unit="requests per person-week",
        ge=0.01,
        le=1000,
        description="Requests one staff member handles per week.",
    )
    discipline: Literal["fifo", "priority"] = param(
        "fifo", unit="choice", description="Queue discipline: first in first out, or priority requests first."
    )
    service: Literal["deterministic", "exponential"] = param(
        "exponential", unit="choice", description="Distribution of the time one request takes to handle."
    )
    outbound_days: float = param(
        14.0, unit="days", ge=0, le=365, description="Travel of a request from Beijing to the channel (diplomatic bag)."
    )
    forward_days: float = param(
        3.0, unit="days", ge=0, le=365, description="Travel of a request from the channel to the Soviet agency."
    )
    return_days: float = param(
        21.0, unit="days", ge=0, le=365, description="Shipping of copied material from the channel to Beijing."
    )


class CommissionParams(ChannelParams):
    """The joint commission of the 1954 agreement: a second channel."""

    open: bool = param(
        False, unit="on/off", source="history:agreement_1954", description="Closed until the 1954 agreement opens it."
    )
    staff: int = param(
        7, unit="persons", ge=1, le=1000, source="history:commission_size", description="Members per side."
    )
    requests_per_staff_week: float = param(
        4.0, unit="requests per person-week", ge=0.01, le=1000, description="Requests one member handles per week."
    )
    share: float = param(
        0.35,
        unit="share",
        ge=0,
        le=1,
        description="Share of new requests sent through the commission while both channels are open.",
    )


class SovietParams(Section):
    """Soviet agencies (review) and enterprises (copying)."""

    review_weeks: ReviewWeeks = per_category(
        ReviewWeeks,
        unit="weeks",
        source="assumption (bounded by history:lead_time_cc_letter)",
        description="Mean deliberation after a reviewer has handled a request (exponential).",
    )
    approval: Approval = per_category(
        Approval,
        unit="probability",
        description="Probability that a reviewed request is approved.",
    )
    reviews_per_week: float = param(
        25.0, unit="requests per week", ge=0.01, le=10000, description="Review capacity of one agency."
    )
    discipline: Literal["fifo", "priority"] = param("fifo", unit="choice", description="Agencies' queue discipline.")
    enterprises_per_agency: int = param(
        10,
        unit="enterprises",
        ge=1,
        le=1000,
        static=True,
        description="Soviet plants and design institutes per agency.",
    )
    copy_sets_per_week: float = param(
        4.0, unit="sets per week", ge=0.01, le=10000, description="Copying capacity of one Soviet enterprise."
    )
    dispatch_days: float = param(
        7.0, unit="days", ge=0, le=365, description="Travel of an approved request from agency to enterprise."
    )
    collect_days: float = param(
        7.0, unit="days", ge=0, le=365, description="Travel of copied material from enterprise to the channel."
    )


class TranslationParams(Section):
    """Russian translation in the ministries."""

    translators: int = param(
        45,
        unit="persons per ministry",
        ge=0,
        le=100000,
        source="assumption (of the order of history:translators_anshan_1955)",
        description="Translators of a ministry of average weight; scaled by the sector's weight.",
    )
    pages_per_translator_week: float = param(
        30.0, unit="pages per person-week", ge=0.1, le=1000, description="Pages one translator renders per week."
    )
    pages_per_set: PagesPerSet = per_category(
        PagesPerSet,
        unit="pages",
        description="Pages of Russian text to translate in one set.",
    )


class StandardsParams(Section):
    """Re-issue of Soviet standards as Chinese national standards."""

    reissue_rate: float = param(
        0.0,
        unit="per week",
        ge=0,
        le=1,
        source="assumption (zero until the first national standards, history:gb_first)",
        description="Weekly chance that a delivered Soviet standard is re-issued as a national standard.",
    )


class AdoptionParams(Section):
    """Adoption of delivered material by Chinese enterprises (Bass-type)."""

    own_rate: OwnRate = per_category(
        OwnRate,
        unit="per week",
        description="Weekly chance of adopting without peers (Bass p), at full coverage and capacity.",
    )
    peer_rate: PeerRate = per_category(
        PeerRate,
        unit="per week",
        description="Added weekly chance when all network neighbours have adopted (Bass q).",
    )
    sets_for_coverage: SetsForCoverage = per_category(
        SetsForCoverage,
        unit="sets per enterprise",
        description="Sets delivered to a sector, per enterprise, at which its own-rate adoption runs at full speed.",
    )
    absorptive_mean: float = param(
        0.6,
        unit="share",
        ge=0,
        le=1,
        static=True,
        description="Mean absorptive capacity of an enterprise (engineers), multiplying its adoption chances.",
    )
    absorptive_spread: float = param(
        0.3,
        unit="share",
        ge=0,
        le=0.95,
        static=True,
        description="Spread of absorptive capacity (0: all equal; Beta variance as a share of its maximum).",
    )


class SpecialistsParams(Section):
    """Soviet specialists in China, who raise absorptive capacity."""

    present: int = param(
        300,
        unit="persons",
        ge=0,
        le=100000,
        source="assumption (events follow history:specialists_1950_56 and history:specialists_jul_1960)",
        description="Soviet specialists present in China; events change it.",
    )
    reference: int = param(
        1500,
        unit="persons",
        ge=1,
        le=100000,
        source="history:specialists_jul_1960",
        description="Number of specialists at which absorptive capacity is raised by `boost`.",
    )
    boost: float = param(
        0.6,
        unit="multiplier",
        ge=0,
        le=10,
        description="Proportional rise in absorptive capacity with `reference` specialists present.",
    )


class NetworkParams(Section):
    """The enterprise network along which adoption spreads."""

    within_degree: float = param(
        8.0,
        unit="links per enterprise",
        ge=0,
        le=200,
        static=True,
        description="Mean links to enterprises of the same sector.",
    )
    across_degree: float = param(
        1.0,
        unit="links per enterprise",
        ge=0,
        le=200,
        static=True,
        description="Mean links to enterprises of other sectors.",
    )


class SectorParams(Section):
    """One Chinese sector: its enterprises and its share of demand (defaults per sector below)."""

    enterprises: int = param(
        250,
        unit="enterprises",
        ge=1,
        le=10_000_000,
        static=True,
        source="assumption (sizes by sector, 2,000 in all)",
        description="Chinese enterprises.",
    )
    weight: float = param(
        1.0,
        unit="weight",
        ge=0,
        le=100,
        source="assumption (weights by sector)",
        description="Relative share of demand and translators.",
    )


_SECTOR_DEFAULTS = {
    "heavy_industry": (400, 1.6),
    "machine_building_1": (400, 1.6),
    "machine_building_2": (200, 0.8),
    "fuel_industry": (300, 1.2),
    "textile_industry": (150, 0.6),
    "light_industry": (150, 0.6),
    "railways": (200, 0.8),
    "building": (200, 0.8),
}

SectorsParams: type[Section] = create_model(
    "SectorsParams",
    __base__=Section,
    __doc__="Per-sector settings, one table per ministry (keys of sim.catalog.SECTORS).",
    **{
        s.key: (
            SectorParams,
            Field(
                default_factory=lambda k=s.key: SectorParams(
                    enterprises=_SECTOR_DEFAULTS[k][0], weight=_SECTOR_DEFAULTS[k][1]
                ),
                description=s.label,
                json_schema_extra={"source": "assumption (sizes and weights)"},
            ),
        )
        for s in SECTORS
    },
)


class Params(Section):
    """All model parameters, grouped by the part of the model they govern."""

    time: TimeParams = Field(default_factory=TimeParams)
    demand: DemandParams = Field(default_factory=DemandParams)
    office: ChannelParams = Field(default_factory=ChannelParams)
    commission: CommissionParams = Field(default_factory=CommissionParams)
    soviet: SovietParams = Field(default_factory=SovietParams)
    translation: TranslationParams = Field(default_factory=TranslationParams)
    standards: StandardsParams = Field(default_factory=StandardsParams)
    adoption: AdoptionParams = Field(default_factory=AdoptionParams)
    specialists: SpecialistsParams = Field(default_factory=SpecialistsParams)
    network: NetworkParams = Field(default_factory=NetworkParams)
    sectors: SectorsParams = Field(default_factory=SectorsParams)  # type: ignore[valid-type]


def _submodel(info: Any) -> type[BaseModel] | None:
    annotation = info.annotation
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _extra(info: Any) -> dict:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def iter_parameters(model: type[BaseModel] = Params, prefix: str = "") -> Iterator[tuple[str, Any, dict]]:
    """Yield ``(path, FieldInfo, extra)`` for every parameter, in schema order.

    A per-category parameter yields one row, its path ending at the table.
    """
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        sub = _submodel(info)
        if "unit" in _extra(info):
            yield path, info, _extra(info)
        elif sub is not None:
            yield from iter_parameters(sub, path + ".")


def field_at(path: str, root: type[BaseModel] = Params) -> dict:
    """Return the declaration (unit, source, static, bounds) of the parameter at ``path``.

    ``path`` names one parameter (``office.staff``), a per-category table
    (``soviet.approval``) or one of its cells (``soviet.approval.blueprints``).

    Raises:
        KeyError: With a message naming the part of ``path`` that names nothing
            and the keys allowed there.
    """
    model: type[BaseModel] | None = root
    extra: dict = {}
    parts = path.split(".")
    for i, part in enumerate(parts):
        where = ".".join(parts[:i])
        if model is None:
            raise KeyError(f"'{where}' is a single value and has no key '{part}'")
        if part not in model.model_fields:
            raise KeyError(
                f"unknown key '{part}' in {where or 'the top level'}; valid keys: {', '.join(model.model_fields)}"
            )
        info = model.model_fields[part]
        if issubclass(model, CategoryTable):
            model = None
            continue
        extra = _extra(info)
        model = _submodel(info)
    if model is not None and not issubclass(model, CategoryTable):
        raise KeyError(f"'{path}' is a group of parameters; name one of: {', '.join(model.model_fields)}")
    return extra
