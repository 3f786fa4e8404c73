"""The fixed world of the model: material categories, sectors, agencies and stages.

Everything here is structure, not a tunable number: the five kinds of technical
material named in Zhou Enlai's letter of 6 September 1952, the Chinese sectors
(one ministry each), the Soviet agencies that hold each kind of material, and the
channels. A request's stages are in :mod:`sim.path`; tunable numbers in :mod:`sim.params`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The five kinds of technical material, by the keys the whole model uses, in
#: the order of the letter (Zhou Enlai to Molotov, 6 Sep 1952).
CATEGORIES: tuple[str, ...] = (
    "standards",
    "typical_designs",
    "operating_procedures",
    "blueprints",
    "norms",
)

#: The letter's words for each category.
CATEGORY_LABELS: dict[str, str] = {
    "standards": "Product standards",
    "typical_designs": "Typical designs",
    "operating_procedures": "Technical operating procedures",
    "blueprints": "Manufacturing blueprints",
    "norms": "Technical-economic norms",
}


@dataclass(frozen=True)
class Sector:
    """A Chinese industrial sector, represented by its ministry.

    Attributes:
        key: Identifier used in scenario files and outputs.
        label: The ministry's name.
    """

    key: str
    label: str


#: Chinese sectors, one central ministry each (the ministries of 1952-1953; the
#: selection of eight is an assumption).
SECTORS: tuple[Sector, ...] = (
    Sector("heavy_industry", "Ministry of Heavy Industry"),
    Sector("machine_building_1", "First Ministry of Machine-Building"),
    Sector("machine_building_2", "Second Ministry of Machine-Building"),
    Sector("fuel_industry", "Ministry of Fuel Industry"),
    Sector("textile_industry", "Ministry of Textile Industry"),
    Sector("light_industry", "Ministry of Light Industry"),
    Sector("railways", "Ministry of Railways"),
    Sector("building", "Ministry of Building Construction"),
)
SECTOR_KEYS: tuple[str, ...] = tuple(s.key for s in SECTORS)

ALL = "*"


@dataclass(frozen=True)
class Agency:
    """A Soviet agency and the material it holds.

    Attributes:
        key: Identifier used in outputs and in the channel network.
        label: The agency's name.
        holds: Category key -> the Chinese sectors whose requests for that
            category this agency answers (``("*",)`` for all sectors).
        short: A name of a few words, where the full one does not fit (the dashboard's network).
    """

    key: str
    label: str
    holds: dict[str, tuple[str, ...]]
    short: str


_SECTORAL = ("operating_procedures", "blueprints")

#: Soviet agencies. Which agency answers which request is an assumption built on
#: the Soviet division of competences: norms with Gosplan, typical designs with
#: the construction committee, standards with the standards committee, and
#: sector documentation with the matching sectoral ministry.
AGENCIES: tuple[Agency, ...] = (
    Agency("gosplan", "State Planning Committee (Gosplan)", {"norms": (ALL,)}, "Gosplan"),
    Agency("gosstroi", "State Committee for Construction (Gosstroi)", {"typical_designs": (ALL,)}, "Gosstroi"),
    Agency(
        "standards_committee",
        "Committee on Standards, Measures and Instruments",
        {"standards": (ALL,)},
        "Standards Committee",
    ),
    Agency(
        "foreign_trade",
        "Ministry of Foreign Trade",
        {"blueprints": ("textile_industry", "light_industry")},
        "Foreign Trade",
    ),
    Agency(
        "ferrous_metallurgy",
        "Ministry of Ferrous Metallurgy",
        {k: ("heavy_industry",) for k in _SECTORAL},
        "Ferrous Metallurgy",
    ),
    Agency(
        "machine_tools",
        "Ministry of Machine-Tool Building",
        {k: ("machine_building_1",) for k in _SECTORAL},
        "Machine Tools",
    ),
    Agency(
        "defence_industry",
        "Ministry of Defence Industry",
        {k: ("machine_building_2",) for k in _SECTORAL},
        "Defence Industry",
    ),
    Agency(
        "coal_industry", "Ministry of the Coal Industry", {k: ("fuel_industry",) for k in _SECTORAL}, "Coal Industry"
    ),
    Agency(
        "light_industry_ussr",
        "Ministry of Light Industry of the USSR",
        {"operating_procedures": ("textile_industry", "light_industry")},
        "Light Industry (USSR)",
    ),
    Agency("transport", "Ministry of Transport (Railways)", {k: ("railways",) for k in _SECTORAL}, "Transport"),
    Agency("construction", "Ministry of Construction", {k: ("building",) for k in _SECTORAL}, "Construction"),
)
AGENCY_KEYS: tuple[str, ...] = tuple(a.key for a in AGENCIES)


def holder_table() -> list[list[int]]:
    """Return ``table[sector][category]``: the index of the agency holding it.

    Raises:
        ValueError: If a (sector, category) pair has no holder or two.
    """
    table: list[list[int]] = [[-1] * len(CATEGORIES) for _ in SECTORS]
    for a_index, agency in enumerate(AGENCIES):
        for category, sectors in agency.holds.items():
            k = CATEGORIES.index(category)
            for s_index, sector in enumerate(SECTOR_KEYS):
                if ALL in sectors or sector in sectors:
                    if table[s_index][k] != -1:
                        raise ValueError(f"{sector}/{category} is held by two agencies")
                    table[s_index][k] = a_index
    for s_index, row in enumerate(table):
        for k, a_index in enumerate(row):
            if a_index == -1:
                raise ValueError(f"{SECTOR_KEYS[s_index]}/{CATEGORIES[k]} is held by no agency")
    return table


#: Channels through which requests pass, in the order of the channel network.
CHANNELS: tuple[str, ...] = ("office", "commission")
CHANNEL_LABELS: dict[str, str] = {
    "office": "Commercial Counsellor's Office, Moscow",
    "commission": "Sino-Soviet joint commission",
}

#: The 150 key projects by ministry, the share of project requests each ministry
#: makes (history:projects_150_by_sector: military 44 to the Second Ministry of
#: Machine-Building, metallurgy 20 and chemicals 7 to Heavy Industry, machinery 24 to
#: the First Ministry, energy 52 to Fuel Industry, light industry and pharmaceuticals 3
#: to Light Industry; the mapping to the model's ministries is an assumption).
PROJECTS_BY_SECTOR: dict[str, int] = {
    "heavy_industry": 27,
    "machine_building_1": 24,
    "machine_building_2": 44,
    "fuel_industry": 52,
    "textile_industry": 0,
    "light_industry": 3,
    "railways": 0,
    "building": 0,
}
