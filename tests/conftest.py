"""Shared fixtures: small scenarios for fast tests and one full baseline run."""

from __future__ import annotations

import os

import pytest

from sim import Scenario, TechTransferModel, load_scenario
from sim.catalog import SECTOR_KEYS


def small(scenario: Scenario, enterprises: int = 20, **overrides) -> Scenario:
    """A scenario with few enterprises (fast), plus any overrides."""
    changes = {f"sectors.{s}.enterprises": enterprises for s in SECTOR_KEYS}
    changes["soviet.enterprises_per_agency"] = 2
    changes.update(overrides)
    return scenario.with_overrides(changes)


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    return load_scenario("baseline_1952")


@pytest.fixture(scope="session")
def baseline_results(baseline):
    model = TechTransferModel(baseline)
    model.run()
    return model.results()


@pytest.fixture
def cjk_font() -> None:
    """Skip without WenQuanYi Micro Hei (fail on CI, whose ``.ci/run`` installs fonts-wqy-microhei)."""
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family="WenQuanYi Micro Hei"), fallback_to_default=False)
    except ValueError:
        if os.environ.get("CI"):
            pytest.fail("CI must have the CJK font: .ci/run installs fonts-wqy-microhei")
        pytest.skip("WenQuanYi Micro Hei is not installed (Debian: fonts-wqy-microhei)")
