"""Invariants that hold at every step, for many generated scenarios."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from conftest import small
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import CATEGORIES, SECTOR_KEYS, Scenario, Stage, TechTransferModel
from sim.catalog import holder_table
from sim.network import agency_node, ministry_node
from sim.path import FLIGHT_STAGES, route

CUMULATIVE = [
    "requests_created",
    "requests_fulfilled",
    "requests_rejected",
    "requests_unsent",
    "national_standards",
    *[f"sets_supplied_{c}" for c in CATEGORIES],
    *[f"sets_delivered_{c}" for c in CATEGORIES],
    *[f"adoption_{c}" for c in CATEGORIES],
]


def check_ledger(model: TechTransferModel) -> None:
    """Every request is in exactly one stage, and its stamps are exactly that stage's route on the declared path.

    The route of a stage (``sim.path.route``) is the stages a request passes to reach
    it by the allowed moves (``sim.path.MOVES``); its stamps must be reached in that order.
    """
    ledger = model.ledger
    n = len(ledger)
    times = ledger.times[:n]
    status = ledger.status
    assert set(np.unique(status).tolist()) <= {int(s) for s in Stage}
    stamped = ~np.isnan(times)
    assert np.nanmax(times, initial=0.0) <= model.day + 1e-9
    for stage in Stage:
        here = status == stage
        if not here.any():
            continue
        path = list(route(stage))
        expected = np.zeros(len(Stage), dtype=bool)
        expected[path] = True
        assert (stamped[here] == expected).all(), f"requests in {stage.key} not stamped exactly along {path}"
        assert (np.diff(times[here][:, path], axis=1) >= -1e-9).all(), f"{stage.key}: stages reached out of order"


def check_timeseries(ts: pd.DataFrame) -> None:
    assert (
        ts["requests_created"] == ts["requests_in_flight"] + ts["requests_fulfilled"] + ts["requests_rejected"]
    ).all()
    flight = sum(ts[f"requests_{s.key}"] for s in FLIGHT_STAGES)
    assert (flight == ts["requests_in_flight"]).all()
    for column in CUMULATIVE:
        assert (ts[column].diff().dropna() >= 0).all(), column
    shares = ts.filter(like="adoption_")
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert ((ts["technology_index"] >= 0) & (ts["technology_index"] <= 1)).all()
    used = ts[["office_utilisation", "commission_utilisation"]]
    used = used.fillna(0.5)  # a step without a commission session has no utilisation (nan)
    assert ((used >= -1e-9) & (used <= 1 + 1e-9)).all().all()
    assert (ts.index.to_series().diff().dropna() > pd.Timedelta(0)).all()


def check_routes(model: TechTransferModel) -> None:
    """Requests travel only along channel-network edges to the agency that holds them."""
    ledger = model.ledger
    holder = np.array(holder_table())
    np.testing.assert_array_equal(ledger["agency"], holder[ledger["ministry"], ledger["category"]])
    graph = model.channel_network
    for rid in range(0, len(ledger), max(1, len(ledger) // 200)):
        ministry = ministry_node(SECTOR_KEYS[ledger["ministry"][rid]])
        channel = model.channels[ledger["channel"][rid]].node
        agency = model.agencies[ledger["agency"][rid]]
        assert graph.has_edge(ministry, channel) and graph.has_edge(channel, agency_node(agency.key))
        j = ledger["soviet_enterprise"][rid]
        if j >= 0:
            enterprise = model.soviet_enterprises[j]
            assert enterprise.agency is agency
            assert graph.has_edge(agency.node, enterprise.node) and graph.has_edge(enterprise.node, channel)
            assert graph.has_edge(channel, ministry)


def check_sets(model: TechTransferModel, ts: pd.DataFrame) -> None:
    ledger = model.ledger
    stamped = ~np.isnan(ledger.times[: len(ledger)])
    for k, category in enumerate(CATEGORIES):
        of_k = ledger["category"] == k
        shipped = ledger["sets"][of_k & stamped[:, Stage.SHIPPED]].sum()
        delivered = ledger["sets"][of_k & stamped[:, Stage.DELIVERED]].sum()
        assert ts[f"sets_supplied_{category}"].iloc[-1] == shipped
        assert ts[f"sets_delivered_{category}"].iloc[-1] == delivered


overrides = st.fixed_dictionaries(
    {
        "time.step_days": st.integers(1, 14),
        "office.staff": st.integers(1, 12),
        "office.requests_per_staff_week": st.floats(0.5, 20),
        "office.discipline": st.sampled_from(["fifo", "priority"]),
        "office.service": st.sampled_from(["deterministic", "exponential"]),
        "commission.open": st.booleans(),
        "commission.share": st.floats(0, 1),
        "demand.plan_intensity": st.floats(0, 3),
        "demand.priority_share": st.floats(0, 1),
        "soviet.approval": st.floats(0, 1),
        "soviet.review_weeks": st.floats(0, 20),
        "soviet.reviews_per_week": st.floats(0.5, 50),
        "soviet.discipline": st.sampled_from(["fifo", "priority"]),
        "soviet.copy_sets_per_week": st.floats(0.5, 30),
        "soviet.dispatch_days": st.floats(0, 30),
        "translation.translators": st.integers(0, 80),
        "translation.pages_per_set": st.floats(0, 200),
        "adoption.own_rate": st.floats(0, 1),
        "adoption.peer_rate": st.floats(0, 1),
        "adoption.absorptive_spread": st.floats(0, 0.9),
        "specialists.present": st.integers(0, 5000),
        "network.within_degree": st.floats(0, 12),
        "network.across_degree": st.floats(0, 3),
        "standards.reissue_rate": st.floats(0, 1),
        "seed": st.integers(0, 2**32),
    }
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=overrides, enterprises=st.integers(1, 30))
def test_invariants_hold_at_every_step(changes, enterprises):
    scenario = small(Scenario(), enterprises=enterprises, **changes)
    model = TechTransferModel(scenario)
    steps = min(model.calendar.n_steps, 730 // scenario.time.step_days)
    for _ in range(steps):
        model.step()
        check_ledger(model)
    ts = model.results().timeseries
    check_timeseries(ts)
    check_routes(model)
    check_sets(model, ts)


def test_invariants_hold_for_the_baseline(baseline_results, baseline):
    check_timeseries(baseline_results.timeseries)
    ledger = baseline_results.ledger
    order = ["created", "queued", "forwarded", "under_review", "approved", "copying", "shipped", "arrived"]
    dates = ledger[order].to_numpy(dtype="datetime64[ns]").astype("int64").astype(float)
    dates[ledger[order].isna().to_numpy()] = np.nan
    for a, b in itertools.pairwise(order):
        both = ~np.isnan(dates[:, order.index(a)]) & ~np.isnan(dates[:, order.index(b)])
        assert (dates[both, order.index(a)] <= dates[both, order.index(b)]).all(), (a, b)
