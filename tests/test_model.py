"""The model's behaviour: docking with theory, calendar, events, channels, the baseline."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import small

from sim import CATEGORIES, SECTOR_KEYS, Scenario, TechTransferModel, load_scenario
from sim.agents import ChineseEnterprise, CounsellorOffice, JointCommission, Ministry, SovietAgency, SovietEnterprise
from sim.history import SUMMARY_TARGETS, record
from sim.processes import Adoption, Demand
from sim.scenario import library


def test_office_docks_with_mm1():
    """One exponential server fed by Poisson requests: Wq = lambda / (mu (mu - lambda)).

    Four replicates of ten years (about 140,000 requests); the tolerance, 8 %, is
    about three standard errors of their mean wait.
    """
    lam, mu = 70.0, 100.0  # requests per week
    scenario = small(
        Scenario(),
        enterprises=5,
        **{
            "office.staff": 1,
            "office.requests_per_staff_week": mu,
            "office.service": "exponential",
            "commission.open": False,
            "projects.agreed": 0,  # only the plan's Poisson demand
            "demand.requests_per_week": lam / len(CATEGORIES),
            "demand.plan_intensity": 1.0,
            "soviet.reviews_per_week": 1000.0,
        },
    )
    waits, utilisation = [], []
    for seed in range(3, 7):
        model = TechTransferModel(scenario, rng=seed)
        model.run()
        results = model.results()
        ledger = results.ledger
        served = ledger[ledger["handled"].notna() & (ledger["queued"] > pd.Timestamp("1953-06-01"))]
        assert len(served) > 30_000
        waits.append((served["handled"] - served["queued"]).dt.total_seconds().mean() / (7 * 86400))
        utilisation.append(results.timeseries["office_utilisation"].iloc[20:].mean())
    assert np.mean(waits) == pytest.approx(lam / (mu * (mu - lam)), rel=0.08)
    assert np.mean(utilisation) == pytest.approx(lam / mu, abs=0.01)


def test_adoption_without_peers_follows_geometric_law():
    """With peer influence 0, full capacity and coverage, share(t) = 1 - (1 - p)^t after delivery."""
    p = 0.02
    scenario = small(
        Scenario(),
        enterprises=250,
        **{
            "adoption.own_rate": p,
            "adoption.peer_rate": 0.0,
            "adoption.absorptive_mean": 1.0,
            "adoption.absorptive_spread": 0.0,
            "adoption.sets_for_coverage": 1e-9,
            "specialists.boost": 0.0,
            "demand.plan_intensity": 1.0,
            "time.end": "1956-12-31",
        },
    )
    model = TechTransferModel(scenario, rng=4)
    model.run()
    results = model.results()
    ledger, ts = results.ledger, results.timeseries
    days = (ledger["delivered"] - pd.Timestamp(scenario.time.start)).dt.total_seconds() / 86400
    steps = np.arange(len(ts))
    sizes = np.array([getattr(scenario.sectors, s).enterprises for s in SECTOR_KEYS])
    for category in CATEGORIES:
        expected = np.zeros(len(ts))
        for s, sector in enumerate(SECTOR_KEYS):
            first = days[(ledger["category"] == category) & (ledger["ministry"] == sector)].min()
            exposed = np.clip(steps - np.floor(first / 7), 0, None)
            expected += sizes[s] * (1 - (1 - p) ** exposed)
        expected /= sizes.sum()
        observed = ts[f"adoption_{category}"].to_numpy()
        assert np.abs(observed - expected).max() < 0.05, category
        assert np.abs(observed - expected).mean() < 0.015, category


def test_population_and_agents_match_the_design(baseline):
    model = TechTransferModel(baseline)
    counts = {cls: len(model.agents_by_type[cls]) for cls in model.agents_by_type}
    assert counts[Ministry] == 8
    assert counts[CounsellorOffice] == 1 and counts[JointCommission] == 1
    assert counts[SovietAgency] >= 10
    assert counts[SovietEnterprise] >= 100
    assert counts[ChineseEnterprise] >= 2000 == model.process(Adoption).population.n
    assert model.enterprise_network.number_of_nodes() == model.process(Adoption).population.n
    degrees = np.array([d for _, d in model.enterprise_network.degree()])
    assert 7 < degrees.mean() < 10
    sector = model.process(Adoption).population.sector
    edges = np.array(model.enterprise_network.edges())
    within = (sector[edges[:, 0]] == sector[edges[:, 1]]).mean()
    assert within > 0.8


def test_calendar_and_run_until(baseline):
    model = TechTransferModel(small(baseline))
    assert model.date == dt.date(1952, 9, 6)
    model.step()
    assert model.date == dt.date(1952, 9, 13)
    model.run_until("1953-01-01")
    assert model.date == dt.date(1953, 1, 3)
    model.run_until(dt.date(1953, 1, 3))
    assert model.steps_done == 17
    with pytest.raises(ValueError, match="outside the run"):
        model.run_until("1970-01-01")
    with pytest.raises(ValueError, match="not a date"):
        model.run_until("next year")


def test_events_fire_in_the_step_that_contains_their_date(baseline):
    model = TechTransferModel(small(baseline))
    model.run_until("1954-12-25")
    assert not model.params.commission.open
    model.step()  # covers 1954-12-25 .. 1954-12-31, which contains 1954-12-28
    assert model.params.commission.open
    assert model.channel_network.edges["ministry:railways", "commission"]["open"]
    assert [e.id for _, e in model.events_fired][-1] == "commission_opens"
    ledger = model.results().ledger
    assert (ledger.loc[ledger["channel"] == "commission", "created"] >= pd.Timestamp("1954-12-25")).all()


def test_closed_channels_send_nothing(baseline):
    scenario = small(baseline, **{"office.open": False}).with_overrides({"seed": 1})
    model = TechTransferModel(scenario)
    model.run_until("1954-12-01")
    assert len(model.ledger) == 0 and model.process(Demand).unsent > 0
    model.run_until("1955-12-31")
    assert (model.results().ledger["channel"] == "commission").all() and len(model.ledger) > 0


def test_priority_requests_wait_less_under_priority(baseline):
    scenario = small(
        baseline,
        **{"office.discipline": "priority", "office.staff": 2, "office.requests_per_staff_week": 6.0},
    )
    model = TechTransferModel(scenario)
    model.run_until("1957-12-31")
    ledger = model.results().ledger
    office = ledger[(ledger["channel"] == "office") & ledger["handled"].notna()]
    wait = (office["handled"] - office["queued"]).dt.total_seconds()
    assert wait[office["priority"]].mean() < 0.5 * wait[~office["priority"]].mean()


def test_every_library_scenario_runs_a_year():
    for name in library():
        scenario = load_scenario(name)
        model = TechTransferModel(small(scenario))
        model.run_until(scenario.time.start + dt.timedelta(days=365))
        results = model.results()
        assert results.summary["requests_created"] > 0, name
        assert results.timeseries.index[-1] >= pd.Timestamp(scenario.time.start + dt.timedelta(days=365))


def test_baseline_is_of_the_order_of_the_record(baseline_results):
    """Sets supplied 1953-1962 within a factor of two of Shen Zhihua's totals (calibration comes later)."""
    summary = baseline_results.summary
    assert len(SUMMARY_TARGETS) == 6
    for key in SUMMARY_TARGETS:
        assert record(key) / 2 <= summary[key] <= record(key) * 2, key
    assert record("sets_supplied_1953_1962_total") == 80000 and record("standards_supplied_1954_1957") == 4587
    ledger = baseline_results.ledger
    yearly = ledger.groupby(ledger["shipped"].dt.year)["sets"].sum()
    assert yearly[1953] < yearly[1954] < yearly[1956]  # deliveries ramp up through the First Five-Year Plan


def test_baseline_shows_the_agreement_and_the_recall(baseline_results):
    ledger = baseline_results.ledger
    commission = ledger[ledger["channel"] == "commission"]
    assert len(commission) > 0.2 * len(ledger)
    assert commission["created"].min() >= pd.Timestamp("1954-12-25")
    yearly = ledger.groupby(ledger["shipped"].dt.year)["sets"].sum()
    assert yearly[1961] < 0.25 * yearly[1959]  # the break (sim.calibration.patterns.COLLAPSE_SHARE)
    ts = baseline_results.timeseries
    assert ts.loc["1960-06", "specialists_present"].max() == 1500
    assert ts.loc["1960-09", "specialists_present"].max() == 0  # all withdrawn (history:recall_1960)
    assert ts.loc[:"1957-12-31", "national_standards"].max() == 0
    assert ts["national_standards"].iloc[-1] > 0


def test_ledger_has_the_documented_columns(baseline_results):
    ledger = baseline_results.ledger
    for column in ["request_id", "category", "ministry", "channel", "status", "sets", "pages", "handled"]:
        assert column in ledger
    for column in ["created", "queued", "forwarded", "under_review", "approved", "rejected", "copying"]:
        assert ledger[column].dtype.kind == "M", column
    assert set(ledger["category"].unique()) == set(CATEGORIES)
