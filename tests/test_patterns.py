"""Pattern-oriented checks on the calibrated scenario (scenarios/calibrated.toml).

Each pattern of the record (docs/validation.md) must hold in every replicate of the
calibrated scenario, and must fail in the counterfactual that removes its cause, so
the checks are shown to be able to fail.
"""

from pathlib import Path

import pytest

from sim import TechTransferModel, load_scenario
from sim.calibration.patterns import PATTERNS, collapse_1960, second_channel, second_plan_larger, surge_1958
from sim.calibration.search import loss
from sim.calibration.targets import load_targets
from sim.streams import replicate_seeds

CALIBRATED = Path(__file__).parent.parent / "scenarios" / "calibrated.toml"


def run(scenario):
    model = TechTransferModel(scenario)
    model.run()
    return model.results()


@pytest.fixture(scope="module")
def replicates():
    scenario = load_scenario(CALIBRATED)
    return [run(scenario.with_overrides({"seed": seed})) for seed in replicate_seeds(scenario.seed, 2)]


def counterfactual(tmp_path, disabled):
    text = f'extends = "{CALIBRATED}"\n' + "".join(f'[[events]]\nid = "{e}"\nenabled = false\n' for e in disabled)
    path = tmp_path / "counterfactual.toml"
    path.write_text(text)
    return run(load_scenario(path))


def test_calibrated_scenario_extends_the_baseline():
    calibrated, baseline = load_scenario("calibrated"), load_scenario("baseline_1952")
    assert calibrated.events == baseline.events
    assert calibrated.time == baseline.time


@pytest.mark.parametrize("name", list(PATTERNS))
def test_pattern_holds_in_every_replicate(replicates, name):
    for results in replicates:
        verdict = PATTERNS[name](results)
        assert verdict.holds, f"seed {results.scenario.seed}: {verdict.detail}"


def test_calibrated_scenario_stays_close_to_the_record(replicates):
    """The committed calibration holds on seeds it was not fitted with (tolerances as in docs/validation.md)."""
    targets = load_targets()
    means = {t.id: sum(t.measure(r) for r in replicates) / len(replicates) for t in targets}
    assert loss(means, targets, "fit") < 0.08
    assert loss(means, targets, "validate") < 0.15


def test_collapse_check_fails_without_the_1960_events(tmp_path):
    verdict = collapse_1960(counterfactual(tmp_path, ["contracts_cancelled", "recall"]))
    assert not verdict.holds, verdict.detail


def test_second_channel_check_fails_without_the_commission(tmp_path):
    verdict = second_channel(counterfactual(tmp_path, ["commission_opens"]))
    assert not verdict.holds, verdict.detail


def test_surge_check_fails_without_the_second_plan_events(tmp_path):
    verdict = surge_1958(counterfactual(tmp_path, ["great_leap", "research_agreement_1958", "projects_1958"]))
    assert not verdict.holds, verdict.detail


def test_plan_ratio_check_fails_without_the_great_leap_and_the_research_agreement(tmp_path):
    verdict = second_plan_larger(counterfactual(tmp_path, ["great_leap", "research_agreement_1958"]))
    assert not verdict.holds, verdict.detail
