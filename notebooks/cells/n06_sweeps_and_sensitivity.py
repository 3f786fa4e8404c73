"""Notebook 06: a small Sobol' sweep; which assumptions matter, and how far estimates can be trusted."""

from common import EXPLANATION, HOW_TO_USE, SETUP, SOURCES, TRIES_HERE, Try, code, md, share

NAME = "06_sweeps_and_sensitivity"

SWEEP = '''\
import tempfile
from pathlib import Path

from sim.sweep import load_sweep_spec, run_sweep
from sim.sweep.analysis import design_warnings, sensitivity

sweep_file = {  # what a sweep file (sweeps/*.toml) holds, as a Python dict
    "title": "A small teaching sweep",
    "scenario": "baseline_1952",
    "until": "1955-12-31",
    "design": {"method": "sobol", "samples": 16},
    "replicates": 1,
    "seed": 7,
    "parameters": {
        "office.staff": {"low": 5, "high": 20},
        "translation.translators": {"low": 20, "high": 90},
        "soviet.approval": {"low": 0.5, "high": 0.95},
    },
}
spec = load_sweep_spec(sweep_file)  # checked as a sweep file is
spec'''

SOBOL_BARS = '''\
def index_bars(indices, figure, samples):
    """Sobol' estimates with their 95 % intervals, nothing clipped; the range a true index lies in, shaded."""
    fig, ax = plt.subplots(figsize=(9, 4.5))
    x = range(len(indices))
    ax.axhspan(0, 1, color="0.92", zorder=0, label="where a true index lies (0 to 1)")
    ax.bar([i - 0.2 for i in x], indices["S1"], width=0.4, yerr=indices["S1_conf"], capsize=4,
           label="first order (S1): alone")
    ax.bar([i + 0.2 for i in x], indices["ST"], width=0.4, yerr=indices["ST_conf"], capsize=4,
           label="total (ST): alone and with the others")
    ax.axhline(0, color="black", linewidth=0.8)
    for i, (name, row) in enumerate(indices.iterrows()):
        for shift, index in ((-0.2, "S1"), (0.2, "ST")):
            if not 0 <= row[index] <= 1:  # an estimate no true index could have: say so, do not cut it
                ax.annotate(f"{index} = {row[index]:.2f}:\\nan estimate\\noutside 0-1", (i + shift, row[index]),
                            xytext=(6, 0), textcoords="offset points", ha="left", va="center", fontsize=7)
    ax.set_xticks(list(x), list(indices.index))
    ax.set_title(f"Sobol' indices of {figure}: estimates ({samples} base samples) with 95 % intervals\\n"
                 "An interval reaching below 0 or above 1 shows how rough the estimate is", fontsize=10)
    ax.set_ylabel("Sobol' index (estimate; a share of\\nthe variance only when exact)")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3)
    plt.show()
    for line in design_warnings(indices, "sobol", figure, samples, len(indices)):
        print(line)'''

CELLS = [
    md("""\
# 06 Sweeps and sensitivity: which assumptions matter?

## What is it?

Many parameters of the model are assumptions, not records (`docs/ODD.md`, section 4). A sensitivity analysis
tells which of them the headline figures depend on, and so which archival questions would matter most: how large
the Counsellor's Office was, how many translators the ministries had, how readily Soviet agencies approved
requests (`history:lead_time_cc_letter`).

**Learning goals.**

1. write a sweep: parameters varied over ranges, replicates, seeds;
2. run it with the sweep runner and read its summary table;
3. read Sobol' indices, first-order (S1) and total (ST), as *estimates* with intervals: rank only what the
   intervals separate, and look at how large the variance is before sharing it out;
4. say which archival figure would narrow the model's uncertainty most.

Time: about 45 minutes. This notebook is **Extension** level as a whole (a seminar on method); its **Basic**
things to try need no new sweep."""),
    md("""\
## How it works

A sweep runs the model at many points of the parameters' ranges. A Sobol' design (Saltelli's scheme in SALib)
chooses the points so that the output's variance can be shared out among the parameters: S1 is the share a
parameter explains alone, ST the share it explains alone and through interactions with the others. With 16
base samples and three parameters the design has 16 × (3 + 2) = 80 points; each index is estimated from them,
with a bootstrap 95 % interval. A true index lies between 0 and 1; an *estimate* can fall outside, and with so few
points it often does.

The sweep here is deliberately small and cut at the end of 1955, so that it runs in about half a minute; its
indices are rough, which is itself worth noticing."""),
    md(HOW_TO_USE),
    code(SETUP),
    code(SWEEP),
    md("""\
## 1. Predict: which assumption matters?

The sweep varies the office's staff (5-20), the translators per ministry (20-90) and the Soviet approval rate
(0.5-0.95), and measures the mean lead time of requests to the end of 1955. **Predict** before you run: over the
80 runs, will the mean lead time vary by `"days"`, `"weeks"` or `"months"`? And which parameter will matter
most? (Think of notebooks 01 and 03: were the office and the translators near their limits before 1956?)"""),
    code('''\
my_prediction = ...  # "days", "weeks" or "months"
prediction = predict(my_prediction, options=["days", "weeks", "months"])
my_prediction_2 = ...  # "office.staff", "translation.translators" or "soviet.approval"
prediction_2 = predict(my_prediction_2, options=["office.staff", "translation.translators", "soviet.approval"])'''),
    code('''\
out = Path(tempfile.mkdtemp(prefix="ziliao_sweep_"))
results = run_sweep(spec, out / "teaching_small", workers=2, progress=False)
results.summary.head()'''),
    code('''\
FIGURE = "lead_time_days_mean"
fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
units = {"office.staff": "persons", "translation.translators": "persons per ministry",
         "soviet.approval": "probability"}
for ax, (parameter, unit) in zip(axes, units.items()):
    ax.scatter(results.summary[parameter], results.summary[FIGURE], s=12)
    ax.set_xlabel(f"{parameter} ({unit})")
    ax.set_title(f"Lead time against {parameter}")
axes[0].set_ylabel("Mean lead time to 1955, request to delivery (days)")
fig.tight_layout()
plt.show()'''),
    code(SOBOL_BARS),
    code('''\
indices = sensitivity(results, FIGURE)
index_bars(indices, FIGURE, spec.design.sample_size)
indices.round(3)'''),
    md("**Compare** your predictions with the sweep:"),
    code('''\
spread = results.summary[FIGURE].max() - results.summary[FIGURE].min()
compare(prediction, "days" if spread < 7 else "weeks" if spread < 60 else "months",
        detail=f"the mean lead time runs from {results.summary[FIGURE].min():.1f} to "
               f"{results.summary[FIGURE].max():.1f} days over the 80 runs")
compare(prediction_2, indices["ST"].idxmax(),
        detail=f"the largest total index is {indices['ST'].max():.2f} ± {indices.loc[indices['ST'].idxmax(), 'ST_conf']:.2f} "
               f"(this sweep, its seed {spec.seed})")'''),
    md("""\
**Explain.** Why does the lead time hardly vary over the whole sweep?

- `"a"`: none of the three parameters has any effect in the model;
- `"b"`: before 1956 neither the office nor the translators come near their limits in these ranges (notebooks 01
  and 03), and most of a request's time is Soviet review and shipping, which the sweep does not vary;
- `"c"`: 80 runs are too few for an effect to show."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="each parameter does act (the office queues below about 5 staff, pages pile up below about 20 "
          "translators, approval changes how many requests are delivered), but not within these ranges before "
          "the surge. The indices share out a variance of a few days: a large index of a tiny variance is "
          "no reason to study that parameter.",
      hint="recall notebook 01's wait against staff and notebook 03's threshold of translators: where do these "
           "ranges start, and where did a request spend its time?")'''),
    code(EXPLANATION),
    md("""\
**Self-check.** In this sweep (its seed 7), do the 95 % intervals of ST for `translation.translators` and
`soviet.approval` overlap? `True` or `False`. If they do, the sweep cannot rank the two."""),
    code('''\
answer = ...  # True or False
a, b = indices.loc["translation.translators"], indices.loc["soviet.approval"]
check(answer, bool(abs(a["ST"] - b["ST"]) < a["ST_conf"] + b["ST_conf"]),
      why="an interval is the range of values the estimate is compatible with; two parameters can be ranked "
          "only where their intervals do not overlap. Here they are wide, and another seed or a larger "
          "design may rank the parameters differently.",
      hint="an interval runs from ST − ST_conf to ST + ST_conf: compute both for each row of the table")'''),
    md("""\
**Self-check.** Estimates can fall below 0 or above 1 (look for the labels in the figure), though a true index
lies between 0 and 1. What do you conclude when they do?

- `"a"`: the model is broken;
- `"b"`: the estimates are noisy with so small a design: read the intervals, not the bars, and run a larger
  design (the warning under the figure says how large) before ranking;
- `"c"`: cut them to 0 and 1, and read the bars."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="Sobol' indices are estimated from a sample of runs, and with 80 runs the bootstrap intervals are wide "
          "enough to cross 0 and 1. Cutting them would hide that uncertainty; a larger design narrows the "
          "intervals roughly as one over the square root of its size.",
      hint="what is a bar here: a measured share, or an estimate from 80 runs with an interval around it?")'''),
    md("""\
## Things to notice

Look first at the scatter plots: by how many days does the lead time vary over the whole sweep? An index is a
share of that variance, however small the variance is. Which parameter has the largest total index, and are the
intervals narrow enough to rank the parameters? Where ST is much larger than S1, the parameter acts through
interactions."""),
    TRIES_HERE,
    md(SOURCES),
    code('''\
cite("lead_time_cc_letter", "sets_total_1953_62")'''),
    md("""\
**Source criticism.** The sweep varies Soviet approval from 0.5 to 0.95. Which rows of the record could set that
range?

- `"a"`: rows that give approval rates;
- `"b"`: none gives a rate: the record has one refused request (an anecdote, `history:lead_time_cc_letter`) and
  totals supplied, which fix demand and approval only together; the range is an assumption, and a sensitivity
  analysis tells which archival figure (here, approval rates) would narrow the model's uncertainty most;
- `"c"`: the 80,000 sets fix it exactly."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="data/README.md says so: no source found gives approval rates or lead times for documentation. A total "
          "supplied is demand times approval, so it cannot tell a high demand with many refusals from a low "
          "demand with few; the range swept is the modeller's assumption, and saying so is part of the result.",
      hint="read what cite prints: does any row count approvals or refusals, or only one case and the totals?")'''),
    md("""\
## Extending the model

A sweep only varies what the model has as a parameter. Which assumption of the model is *not* a parameter (say,
that every Soviet agency reviews at the same speed, or that the five kinds share one path) and would deserve one?
New parameters are declared once in `sim/params.py`, and sweeps, the dashboard and scenario files pick them up."""),
    *share('"baseline_1952"', note=" (This notebook shares the baseline with your prediction of what matters.)"),
]

TRIES = [
    Try(
        "Basic",
        "The sweep kept every headline figure of every run, so other figures need no new runs: edit the list "
        "`figures` in the loop below. For which figure does approval take almost all the variance, and why?",
        starter='''\
figures = ["technology_index", "sets_supplied_1953_1962_total"]  # edit the list: columns of results.summary
for figure in figures:
    print(figure, "varies from", results.summary[figure].min(), "to", results.summary[figure].max())
    index_bars(sensitivity(results, figure), figure, spec.design.sample_size)''',
        solution='''\
rows = {}
for figure in ["lead_time_days_mean", "technology_index", "sets_supplied_1953_1962_total", "requests_fulfilled",
               "office_utilisation_mean"]:
    table = sensitivity(results, figure)
    rows[figure] = {"spread (max - min)": results.summary[figure].max() - results.summary[figure].min(),
                    **{f"ST {name}": round(value, 2) for name, value in table["ST"].items()}}
pd.DataFrame(rows).T  # approval decides how many requests are delivered, so supply and use follow it''',
    ),
    Try(
        "Basic",
        "Before any sweep, explore one parameter at a time by hand: in the dashboard (`python -m sim dashboard`), "
        "move *Russian translators per ministry* and *Requests a Soviet agency reviews each week* (under *Key "
        "parameters*), play to 1956 and watch the lead-time panel. What does one-at-a-time miss that a sweep "
        "catches?",
        solution='''\
rows = {}
for parameter, values in {"translation.translators": [10, 20, 45, 90],
                          "soviet.reviews_per_week": [10, 30, 60, 100]}.items():
    for value in values:
        r = run("baseline_1952", "1955-12-31", {parameter: value})
        rows[(parameter, value)] = r.summary["lead_time_days_mean"]
# One at a time, each from the baseline: no interactions, and only near the baseline's other values.
pd.Series(rows, name="mean lead time to 1955 (days)").round(1)''',
    ),
    Try(
        "Extension",
        "Double `samples` (to 32: 160 runs) and compare the intervals, and the time taken. Do they narrow, as "
        "one over the square root of the design's size would have them? Does the warning under the figure go away?",
        solution='''\
import time

bigger = load_sweep_spec({**sweep_file, "design": {"method": "sobol", "samples": 32}})
start = time.perf_counter()
big = run_sweep(bigger, out / "teaching_32", workers=2, progress=False)
print(f"{len(big.summary)} runs in {time.perf_counter() - start:.0f} s")
wide = sensitivity(big, FIGURE)
index_bars(wide, FIGURE, 32)
# Well-behaved estimates would narrow to about 1 / sqrt(2) = 0.71 of their width; these need not: the variance
# shared out is a few days and rough, and the warning asks for far larger designs.
(wide[["S1_conf", "ST_conf"]] / indices[["S1_conf", "ST_conf"]]).round(2)''',
    ),
    Try(
        "Extension",
        "Extend the sweep: add a fourth parameter (say `soviet.reviews_per_week` from 20 to 100) and run it to the "
        "end of 1958, into the Great Leap surge (the starter builds the sweep and says how many runs it makes; "
        "running it takes a minute or two). Does the lead time vary more, and do the indices change? Larger designs go to the command line: `python -m sim sweep sweeps/sobol_six.toml --out "
        "results/sobol` and `python -m sim analyze results/sobol --out results/sobol_analysis`.",
        starter='''\
extended = load_sweep_spec({
    **sweep_file,
    "title": "The teaching sweep, extended",
    "until": "1958-12-31",  # edit: into the surge
    "parameters": {**sweep_file["parameters"],
                   "soviet.reviews_per_week": {"low": 20, "high": 100}},  # edit: add or change a parameter
})
from sim.sweep.spec import design_points

print(f"A {extended.design.method} design of {extended.design.sample_size} base samples: "
      f"{design_points(extended)} runs to {extended.end}. Run it with run_sweep(extended, out / 'extended').")''',
        solution='''\
extended = load_sweep_spec({
    **sweep_file,
    "title": "The teaching sweep, extended",
    "until": "1958-12-31",
    "parameters": {**sweep_file["parameters"], "soviet.reviews_per_week": {"low": 20, "high": 100}},
})
through = run_sweep(extended, out / "teaching_1958", workers=2, progress=False)
print(f"{len(through.summary)} runs; the lead time to 1958 runs from {through.summary[FIGURE].min():.1f} to "
      f"{through.summary[FIGURE].max():.1f} days (to 1955: {results.summary[FIGURE].min():.1f} to "
      f"{results.summary[FIGURE].max():.1f})")
later = sensitivity(through, FIGURE)
index_bars(later, FIGURE, 16)
later.round(2)  # in the surge a small office queues: office.staff now leads''',
    ),
]

SOLUTION_SETUP = SWEEP + '''
out = Path(tempfile.mkdtemp(prefix="ziliao_sweep_"))
results = run_sweep(spec, out / "teaching_small", workers=2, progress=False)
FIGURE = "lead_time_days_mean"
indices = sensitivity(results, FIGURE)


''' + SOBOL_BARS
