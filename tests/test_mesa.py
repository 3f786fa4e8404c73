"""Mesa's own tools work on the model: rng=, flat keyword parameters, batch_run, reporters, SolaraViz."""

from __future__ import annotations

import ipyvuetify as v
import mesa
import numpy as np
import pytest
import solara
from conftest import small
from mesa.experimental.scenarios import Scenario as MesaScenario
from mesa.visualization import Slider, SolaraViz, make_plot_component
from mesa.visualization.solara_viz import ModelController
from pinned_cases import frame_hash

from sim import TechTransferModel, load_scenario
from sim.errors import ScenarioError
from sim.keywords import flat_names, overrides_from_keywords
from sim.outputs import SERIES
from sim.params import field_at


@pytest.fixture(scope="module")
def tiny():
    return small(load_scenario("baseline_1952"), enterprises=10)


def test_rng_is_the_seed_of_every_stream(tiny):
    by_rng = TechTransferModel(tiny, rng=5)
    by_scenario = TechTransferModel(tiny.with_overrides({"seed": 5}))
    assert by_rng.config.seed == 5
    for model in (by_rng, by_scenario):
        model.run()
    assert frame_hash(by_rng.results().ledger) == frame_hash(by_scenario.results().ledger)
    assert TechTransferModel(tiny).config.seed == tiny.seed  # None keeps the scenario's seed
    from_generator = TechTransferModel(tiny, rng=np.random.default_rng(9)).config.seed
    assert from_generator == TechTransferModel(tiny, rng=np.random.default_rng(9)).config.seed != tiny.seed


def test_every_parameter_has_a_flat_keyword_name():
    names = flat_names()
    assert names["office_staff"] == "office.staff"
    assert names["soviet_approval"] == "soviet.approval"
    assert names["soviet_approval_blueprints"] == "soviet.approval.blueprints"
    assert names["sectors_railways_enterprises"] == "sectors.railways.enterprises"
    for flat, path in names.items():
        field_at(path)  # names a parameter or a category cell
        assert flat == path.replace(".", "_")


def test_flat_keywords_set_the_same_values_as_overrides(tiny):
    model = TechTransferModel(
        tiny, office_staff=16, soviet_approval_blueprints=0.5, demand_plan_intensity=0.7, events="keep"
    )
    expected = tiny.with_overrides(
        {"office.staff": 16, "soviet.approval.blueprints": 0.5, "demand.plan_intensity": 0.7}, events="keep"
    )
    assert model.config == expected
    with pytest.raises(ScenarioError, match="first_five_year_plan"):
        TechTransferModel(tiny, demand_plan_intensity=0.7)


def test_unknown_keywords_are_refused_with_the_near_names():
    with pytest.raises(TypeError, match="office_staff"):
        overrides_from_keywords({"office_staf": 3})
    with pytest.raises(TypeError, match="rng="):
        TechTransferModel(seed=3)


def test_model_reporters_are_the_declared_series(tiny):
    model = TechTransferModel(tiny)
    model.run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert list(frame.columns) == [o.name for o in SERIES]
    assert len(frame) == model.steps_done + 1
    timeseries = model.results().timeseries
    np.testing.assert_array_equal(frame["technology_index"].to_numpy(), timeseries["technology_index"].to_numpy())


def test_run_model_runs_to_the_end_date_and_stops(tiny):
    model = TechTransferModel(tiny)
    assert model.running
    model.run_model()
    assert not model.running and model.finished
    assert model.date >= tiny.time.end and model.steps_done == model.calendar.n_steps
    with pytest.raises(RuntimeError, match="end date"):
        model.step()


def test_batch_run_gives_one_row_per_run_with_parameters_and_outputs(tiny):
    rows = mesa.batch_run(
        TechTransferModel,
        parameters={"base": [tiny], "translation_translators": [20, 60]},
        rng=[1, 2],
        max_steps=10,
        number_processes=1,
        display_progress=False,
    )
    assert len(rows) == 4
    assert {(row["translation_translators"], row["rng"]) for row in rows} == {(20, 1), (20, 2), (60, 1), (60, 2)}
    for row in rows:
        assert row["Step"] == 10 and row["step"] == 10
        assert {o.name for o in SERIES} <= row.keys()
    one = next(r for r in rows if r["translation_translators"] == 20 and r["rng"] == 1)
    alone = TechTransferModel(tiny, rng=1, translation_translators=20)
    for _ in range(10):
        alone.step()
    assert one["requests_created"] == alone.observation["requests_created"]


def test_mesa_scenario_gives_seed_and_parameters(tiny):
    model = TechTransferModel(tiny, scenario=MesaScenario(rng=4, translation_translators=30))
    assert model.config.seed == 4 and model.config.translation.translators == 30
    assert isinstance(model.scenario, MesaScenario) and model.scenario.rng == 4


def test_solara_viz_renders_and_resets(tiny):
    model = TechTransferModel(tiny, rng=3)
    params = {"base": tiny, "translation_translators": Slider("Translators", 45, 5, 90, 5)}
    page = SolaraViz(model, components=[make_plot_component("technology_index")], model_params=params)
    solara.render(page, handle_error=False)

    reactive = solara.reactive(model)
    controls = ModelController(
        reactive,
        model_parameters=solara.reactive({"base": tiny, "translation_translators": 60}),
        play_interval=solara.reactive(100),
        render_interval=solara.reactive(1),
        use_threads=solara.reactive(False),
    )
    _, rc = solara.render(controls, handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert reactive.value.steps_done == 1
    rc.find(v.Btn, children=["Reset"]).widget.click()
    rebuilt = reactive.value
    assert rebuilt is not model and rebuilt.steps_done == 0
    assert rebuilt.config.translation.translators == 60 and rebuilt.config.seed == tiny.seed
