"""Pattern-oriented checks: qualitative shapes of the record that a run must reproduce.

Each check takes the results of one run and returns a :class:`Pattern`: whether
the run shows the pattern and the figures that decided it. The thresholds are
stated here once and in docs/validation.md; the rows of
``data/history_targets.csv`` each pattern rests on are named in its ``evidence``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.catalog import CATEGORIES

if TYPE_CHECKING:
    import pandas as pd

    from sim.results import Results

#: 1957's supply must be at least this multiple of 1953's.
RAMP_FACTOR = 1.5
#: Rank correlation of supply with the year over 1953-57, at least.
RAMP_RANK = 0.8
#: Share of 1955-59 requests the commission must carry, at least.
SECOND_CHANNEL_SHARE = 0.15
#: Supply from August 1960 to December 1961, per week, at most this share of 1959's weekly supply.
COLLAPSE_SHARE = 0.25
#: Mean yearly supply of 1958-59 at least this multiple of 1957's (the surge of the Great Leap).
SURGE_FACTOR = 1.5
#: The Second Plan's supply at least this multiple of the First's (Shen Zhihua's text says "doubled";
#: his figures give 60,329 / 19,671 = 3.07).
PLAN_RATIO = 2.0


@dataclass(frozen=True)
class Pattern:
    """The verdict of one pattern check.

    Attributes:
        name: The pattern's key.
        holds: Whether the run shows it.
        detail: The figures that decided it, in words.
        evidence: The rows of the record it rests on.
    """

    name: str
    holds: bool
    detail: str
    evidence: str


def annual_supply(results: Results) -> pd.DataFrame:
    """Sets shipped per calendar year (rows) and category (columns)."""
    ledger = results.ledger.dropna(subset=["shipped"])
    table = ledger.pivot_table(
        index=ledger["shipped"].dt.year, columns="category", values="sets", aggfunc="sum", observed=True
    )
    return table.reindex(columns=list(CATEGORIES)).fillna(0)


def _sets_between(results: Results, start: dt.date, end: dt.date) -> float:
    import pandas as pd

    shipped = results.ledger["shipped"]
    within = (shipped >= pd.Timestamp(start)) & (shipped < pd.Timestamp(end) + pd.Timedelta(days=1))
    return float(results.ledger.loc[within, "sets"].sum())


def ramp_up(results: Results) -> Pattern:
    """Deliveries ramp up through the First Five-Year Plan (1953-57)."""
    total = annual_supply(results).sum(axis=1).reindex(range(1953, 1958), fill_value=0)
    rank = float(total.rank().corr(total.index.to_series().rank(), method="pearson"))
    ratio = total[1957] / max(total[1953], 1)
    return Pattern(
        "ramp_up",
        ratio >= RAMP_FACTOR and rank >= RAMP_RANK,
        f"1957/1953 = {ratio:.2f} (needs >= {RAMP_FACTOR}); rank correlation with the year {rank:.2f} "
        f"(needs >= {RAMP_RANK}); sets by year {total.astype(int).to_dict()}",
        "history:key_projects (plan years 1953-57), history:sets_total_1953_62",
    )


def second_channel(results: Results) -> Pattern:
    """A second channel (the joint commission) opens after the 1954 agreement and carries a real share."""
    ledger = results.ledger
    via = ledger[ledger["channel"] == "commission"]
    first = via["queued"].min()
    agreement = dt.date(1954, 10, 12)
    created = ledger["created"]
    window = (created >= "1955-01-01") & (created < "1960-01-01")
    share = float((ledger.loc[window, "channel"] == "commission").mean()) if window.any() else 0.0
    opened_after = bool(len(via)) and first.date() >= agreement
    return Pattern(
        "second_channel",
        opened_after and share >= SECOND_CHANNEL_SHARE,
        f"first request queued at the commission {first.date() if len(via) else 'never'} (needs on or after "
        f"{agreement}); commission share of 1955-59 requests {share:.2f} (needs >= {SECOND_CHANNEL_SHARE})",
        "history:agreement_1954, history:commission_first",
    )


def collapse_1960(results: Results) -> Pattern:
    """Flows collapse after July 1960."""
    before = _sets_between(results, dt.date(1959, 1, 1), dt.date(1959, 12, 31)) / 52
    after = _sets_between(results, dt.date(1960, 8, 1), dt.date(1961, 12, 31)) / (74 + 1 / 7)
    share = after / max(before, 1e-9)
    return Pattern(
        "collapse_1960",
        before > 0 and share <= COLLAPSE_SHARE,
        f"sets per week: 1959 {before:.0f}, Aug 1960-Dec 1961 {after:.0f} ({share:.1%}; needs <= {COLLAPSE_SHARE:.0%})",
        "history:contracts_cancelled_1960, history:recall_1960",
    )


def surge_1958(results: Results) -> Pattern:
    """Supply surges in 1958-59, above the First Plan's last year."""
    total = annual_supply(results).sum(axis=1).reindex(range(1953, 1963), fill_value=0)
    ratio = (total[1958] + total[1959]) / 2 / max(total[1957], 1)
    return Pattern(
        "surge_1958",
        ratio >= SURGE_FACTOR,
        f"mean of 1958-59 / 1957 = {ratio:.2f} (needs >= {SURGE_FACTOR}); sets by year {total.astype(int).to_dict()}",
        "history:sets_total_1958_62, history:sets_total_1953_57_derived, history:agreement_122_items_1958",
    )


def second_plan_larger(results: Results) -> Pattern:
    """The Second Five-Year Plan (1958-62) supplies a multiple of the First (1953-57)."""
    first = _sets_between(results, dt.date(1953, 1, 1), dt.date(1957, 12, 31))
    second = _sets_between(results, dt.date(1958, 1, 1), dt.date(1962, 12, 31))
    ratio = second / max(first, 1)
    return Pattern(
        "second_plan_larger",
        ratio >= PLAN_RATIO,
        f"1958-62 / 1953-57 = {second:,.0f} / {first:,.0f} = {ratio:.2f} (needs >= {PLAN_RATIO}; the record 3.07)",
        "history:sets_total_1958_62, history:sets_total_1953_57_derived",
    )


def blueprints_largest(results: Results) -> Pattern:
    """Machine and equipment drawings (blueprints) are the largest category supplied over 1953-62."""
    totals = annual_supply(results).loc[1953:1962].sum()
    largest = str(totals.idxmax())
    return Pattern(
        "blueprints_largest",
        largest == "blueprints",
        f"largest category {largest}; sets 1953-62 {totals.astype(int).to_dict()}",
        "history:drawings_1953_62 (31,667, beside 9,039, 8,550 and 28,982)",
    )


#: Every pattern check, by name.
PATTERNS: dict[str, Callable[[Results], Pattern]] = {
    "ramp_up": ramp_up,
    "second_channel": second_channel,
    "surge_1958": surge_1958,
    "second_plan_larger": second_plan_larger,
    "collapse_1960": collapse_1960,
    "blueprints_largest": blueprints_largest,
}


def check_patterns(results: Results) -> list[Pattern]:
    """All pattern checks on one run."""
    return [check(results) for check in PATTERNS.values()]
