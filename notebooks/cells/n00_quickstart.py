"""Notebook 00: run the baseline, read its results, predict before running, and weigh agreement with the record."""

from common import EXPLANATION, HOW_TO_USE, SETUP, SOURCES, TRIES_HERE, Try, code, md, share

NAME = "00_quickstart"

CELLS = [
    md("""\
# 00 Quickstart: run the baseline and read its results

## What is it?

On 6 September 1952 Zhou Enlai wrote to Molotov asking the Soviet government to supply five kinds of
technical material: product standards, typical designs, technical operating procedures, manufacturing
blueprints and technical-economic norms. Requests were to go through one designated channel, the Commercial
Counsellor's Office (`history:channel_1952`; the letter is in `data/sources/zhou-enlai-to-molotov-1952-09-06.txt`).
Shen Zhihua (2013), the only source for the figure, puts the documentation the USSR supplied over the First
and Second Five-Year Plans (1953-1962) at about 80,000 complete sets (`history:sets_total_1953_62`), 60,329
of them in the Second Plan alone (`history:sets_total_1958_62`). Ziliao simulates that flow request by request.
See `docs/history.md` for the full story and sources.

**Learning goals.** After this notebook you can

1. load a scenario from the library and run it with a seed;
2. read the three parts of a run's results: the summary, the time series and the ledger of requests;
3. predict before you run, and compare the prediction with the result;
4. compare a model figure with the record, and say what the agreement proves and what it does not.

Time: about 15 minutes. **Basic** throughout; the last two *Things to try* are **Extension**."""),
    md("""\
## How it works

A ministry's request travels to Moscow, waits at a channel (the Counsellor's Office, or from December 1954
the joint commission, which agrees requests at its sessions), goes to the Soviet agency that holds the
material, which reviews it and approves or rejects it; a Soviet enterprise copies approved material, it is
shipped to Beijing, translated by the ministry's translators and handed to its enterprises, which adopt it
on their own or because their network neighbours have. Each week the model moves every request along this
path. The record gives the institutions and dated events; how fast each stage works is an *assumption*
(`python -m sim params` lists every parameter with its source: a `history:` row or *assumption*)."""),
    md(HOW_TO_USE),
    code(SETUP),
    md("""\
## 1. Predict, then run the baseline

A *scenario* is a set of parameters and dated events. `baseline_1952` is the run that follows the record:
one channel from 1952; demand from the plan and from the Soviet-aided key projects, agreed in batches from
1950 to 304 by 1960 (`history:projects_1960`); from the 1954 agreement a second channel, the joint
commission; in 1958 the 122-item research agreement (`history:agreement_122_items_1958`), China's own
standards and the Great Leap surge; the break of July 1960, when contracts were cancelled and the
specialists withdrawn (`history:recall_1960`); the June 1961 agreements (`history:agreements_jun_1961`) and
the few experts sent in 1961-62. The *seed* fixes the random draws: the same scenario and seed give the same
results on every machine.

**Predict** before you run: how long did a typical request take, from the ministry's request to the
translated set in its enterprises' hands: `"weeks"`, `"months"` or `"more than a year"`? Stalin had asked
that Chinese requests for *equipment* reach Soviet industry at least a year ahead (`history:lead_time_equipment`)."""),
    code('''\
my_prediction = ...  # "weeks", "months" or "more than a year"
prediction = predict(my_prediction, options=["weeks", "months", "more than a year"])'''),
    code('''\
scenario = load_scenario("baseline_1952")
print(scenario.title)
print(scenario.question)
model = TechTransferModel(scenario, rng=SEED)
model.run_until("1962-12-31")
results = model.results()'''),
    md("## 2. The summary: headline figures"),
    code('''\
pd.Series(results.summary).to_frame("baseline_1952")'''),
    md("""\
## 3. The time series, beside the record

One row per week. Columns whose name starts with `sets_supplied_` count the sets supplied since the start
(cumulative). The diamonds are the record: each labelled with its row of `data/history_targets.csv` and
placed at the end of its period; the First Plan's figure and the Second Plan's add up to the thick line's
80,000 at the end of 1962."""),
    code('''\
results.timeseries[["requests_created", "requests_fulfilled", "office_queue", "technology_index"]].tail()'''),
    code('''\
from sim.charts import CHARTS
from sim.plots import draw_chart

fig, ax = plt.subplots(figsize=(10, 5.5))
draw_chart(ax, results.timeseries, CHARTS["sets_supplied"])
ax.set_title(f"Sets of technical material supplied since September 1952, baseline (seed {SEED}), and the record")
ax.set_ylabel("Sets supplied (cumulative)")
ax.yaxis.set_major_formatter(mticker.StrMethodFormatter("{x:,.0f}"))
date_axis(ax)
plt.show()'''),
    md("""\
## 4. The ledger: one row per request

Each request has a date for every stage it reached (`NaT` where it did not)."""),
    code('''\
ledger = results.ledger
ledger[["request_id", "category", "ministry", "channel", "sets", "created", "delivered", "status"]].head()'''),
    code('''\
delivered = ledger.dropna(subset=["delivered"])
lead_days = (delivered["delivered"] - delivered["created"]).dt.total_seconds() / 86400
made = delivered["created"].dt.year
fig, ax = plt.subplots(figsize=(9, 4))
bins = range(0, int(lead_days.max()) + 20, 20)
for label, (first, last) in {"made 1952-1957": (1952, 1957), "made 1958-1960": (1958, 1960),
                             "made 1961-1962": (1961, 1962)}.items():
    ax.hist(lead_days[made.between(first, last)], bins=bins, histtype="step", linewidth=2, label=label)
ax.set_title(f"How long a request took, from request to delivery in China (baseline, seed {SEED})")
ax.set_xlabel("Lead time (days)")
ax.set_ylabel("Requests")
ax.legend(title="Requests")
plt.show()'''),
    md("**Compare** your prediction with the run:"),
    code('''\
typical = lead_days.median()
outcome = "weeks" if typical < 60 else "months" if typical <= 365 else "more than a year"
compare(prediction, outcome, detail=f"half the requests took under {typical:.0f} days (the median); the mean "
        f"is {lead_days.mean():.0f} days, and requests made in 1958-1960 took {lead_days[made.between(1958, 1960)].mean():.0f} days")'''),
    md("""\
**Explain.** The histogram has two humps: the requests made in 1958-1960 took far longer than those of the
First Plan. In which stage of their path do you think they lost most of that time: `"to the channel"`,
`"at the channel"`, `"review"`, `"copying"`, `"shipping"` or `"translation"`? Think of what changed in
1958 before you answer; the cell after it shows the ledger's answer."""),
    code('''\
answer = ...  # a stage's name in quotes, e.g. "review"
made_in = ledger["created"].dt.year
extra = stage_days(ledger[made_in.between(1958, 1960)]) - stage_days(ledger[made_in.between(1953, 1957)])
check(answer, extra.idxmax(),
      why="the surge of 1958 (the Great Leap, the research agreement) brought far more Russian pages than "
          "the ministries' translators could handle, so sets waited months in Beijing for translation; "
          "the Soviet side's stages hardly changed.",
      hint="the surge multiplied the pages arriving in Beijing: which stage works through pages? Run the "
           "next cell and look for the stage whose days grew most")'''),
    code('''\
pd.DataFrame({"made 1953-1957": stage_days(ledger[made_in.between(1953, 1957)]),
              "made 1958-1960": stage_days(ledger[made_in.between(1958, 1960)])}).round(1)'''),
    code(EXPLANATION),
    md("""\
## 5. Against the record

The record gives the ten-year total and the Second Plan's part of it; the First Plan's figure is only the
difference of the two. `cite` shows each row with its grade, its kind, what the model does with it and its
source."""),
    code('''\
cite("sets_total_1953_62", "sets_total_1958_62", "sets_total_1953_57_derived")
plans = {"1953-1957 (First Plan)": ("sets_total_1953_57_derived", "sets_supplied_1953_1957_total"),
         "1958-1962 (Second Plan)": ("sets_total_1958_62", "sets_supplied_1958_1962_total"),
         "1953-1962 (both)": ("sets_total_1953_62", "sets_supplied_1953_1962_total")}
pd.DataFrame({plan: {"record": float(targets().loc[row, "value"]), "model": results.summary[figure],
                     "grade": targets().loc[row, "reliability"]}
              for plan, (row, figure) in plans.items()}).T'''),
    md("""\
**Self-check.** The model's Second Plan lies within about 1 % of the record's 60,329 sets. Is that agreement
evidence that the model is right? `True` or `False`. (Read what `cite` says the model does with the row.)"""),
    code('''\
answer = ...  # True or False
check(answer, targets().loc["sets_total_1958_62", "role"] != "fit",
      why="the calibration scaled the baseline's demand so that its supply matches this row: agreement "
          "is by construction. Evidence would be agreement with a figure the model was not fitted to.",
      hint="read the line 'in the model: ...' that cite printed for sets_total_1958_62: what was done to "
           "make the model match it?")'''),
    md("""\
## Things to notice

Blueprints and norms run almost level, far ahead of the other three categories. Why? (Blueprints: many sets
per request, and the key projects ask for them; norms: mostly the research items of 1958.) When were most sets
supplied? Why is the histogram of lead times so spread out? The standard figures of the model are also
available: `results.plot()` returns them by name."""),
    TRIES_HERE,
    md(SOURCES),
    md("""\
**Source criticism.** The First Plan's 19,671 sets (`history:sets_total_1953_57_derived`) are in no source:
they are 80,000 − 60,329. Shen's own text says the Second Plan "doubled" the First, which would put the
First Plan near 27,000 (a third of 80,000). Which conclusion is the most careful?

- `"a"`: the model is right about the First Plan, since it comes close to 19,671;
- `"b"`: Shen's 80,000 is wrong;
- `"c"`: the two statements cannot both be exact and one source cannot settle which, so the First Plan's
  figure is uncertain, and a model fitted to it inherits the doubt."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "c",
      why="'doubled' and 80,000 − 60,329 disagree, and both come from one book (grade B, read through a "
          "transcription). Without a second, independent source the First Plan's figure is uncertain; a "
          "model fitted to it cannot remove that doubt, only carry it.",
      hint="the model was fitted to the derived figure (see cite), so agreeing with it proves nothing; and "
           "nothing here shows the 80,000 itself to be wrong")'''),
    md("""\
## Extending the model

The record counts other material the model leaves out: 4,261 teaching syllabi (`history:syllabi_1954_57`) and
221 instrument samples (`history:samples_1954_57`). A sixth category would need its demand, pages and
adoption rates (`sim/catalog.py`, `sim/params.py`); `docs/architecture.md` lists what such a change
touches. Which of its parameters could the record give, and which would be assumptions?"""),
    *share('"baseline_1952"'),
]

TRIES = [
    Try(
        "Basic",
        "Run the baseline with other seeds: edit the list `seeds` in the loop below and run it. How much do "
        "the total and the mean lead time change from one seed to another? Is that more or less than the gap "
        "between the model and the record?",
        starter='''\
seeds = [7, 8, 9]  # edit the list: add seeds, or take some away
rows = {}
for seed in seeds:
    r = run("baseline_1952", seed=seed)
    rows[seed] = {"sets 1953-1962": r.summary["sets_supplied_1953_1962_total"],
                  "mean lead time (days)": r.summary["lead_time_days_mean"]}
pd.DataFrame(rows).T''',
        solution='''\
seeds = list(range(1, 11))
rows = {}
for seed in seeds:
    r = run("baseline_1952", seed=seed)
    rows[seed] = {"sets 1953-1962": r.summary["sets_supplied_1953_1962_total"],
                  "mean lead time (days)": r.summary["lead_time_days_mean"]}
table = pd.DataFrame(rows).T
print(table.describe().loc[["mean", "min", "max", "std"]].round(1))
record = float(targets().loc["sets_total_1953_62", "value"])
print(f"Seeds move the total by {table['sets 1953-1962'].max() - table['sets 1953-1962'].min():,.0f} sets; "
      f"the model's mean differs from the record's {record:,.0f} by {table['sets 1953-1962'].mean() - record:,.0f}.")''',
    ),
    Try(
        "Basic",
        "In the dashboard (`python -m sim dashboard`), choose `baseline_1952` under *Scenario*, press *Play* "
        "and watch the *Sets supplied* panel climb to the record's diamonds. Then set *Seed* to 8, press "
        "*Reset* and *Play* again: does the line end in the same place?",
        solution='''\
fig, ax = plt.subplots(figsize=(9, 4.5))
for seed in [7, 8]:
    r = run("baseline_1952", seed=seed)
    ax.plot(r.timeseries.index, r.timeseries["sets_supplied_all"], label=f"seed {seed}")
mark_rows(ax, ["sets_total_1953_57_derived", "sets_total_1958_62"], cumulative=True)
ax.set_title("Sets supplied, all kinds (cumulative), two seeds, and the record")
ax.set_ylabel("Sets supplied (cumulative)")
date_axis(ax)
ax.legend()
plt.show()''',
    ),
    Try(
        "Extension",
        "Save a run with `results.save(\"my_run\")` and look at what it wrote: `summary.json`, the time series "
        "and the ledger as Parquet and CSV, and the figures in `plots/`. Open `summary.json`: what besides the "
        "headline figures does it keep, and why would a historian want that?",
        solution='''\
import json
import tempfile
from pathlib import Path

folder = results.save(Path(tempfile.mkdtemp()) / "my_run")
print(sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()))
saved = json.loads((folder / "summary.json").read_text())
print(sorted(saved))  # the scenario as run, the seed, the events applied and the versions, beside the figures''',
    ),
    Try(
        "Extension",
        "Write your own scenario file. The starter below writes one that gives the Counsellor's Office 6 staff "
        "instead of 24, runs it and compares it with the baseline. Change a value or add a section "
        "(`python -m sim params` lists every parameter with its unit, range and source) and run it again. A "
        "mistake in the file gets one line naming the key, the value and what is allowed.",
        starter='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "small_office.toml"
path.write_text("""\\
extends = "baseline_1952"
title = "A small office: 6 staff at the Counsellor's Office"
question = "What if the Counsellor's Office had had 6 staff instead of 24?"

[office]
staff = 6
""", encoding="utf-8")
mine = run(path)
pd.DataFrame({"baseline_1952": results.summary, path.stem: mine.summary}).loc[
    ["office_wait_days_mean", "office_utilisation_mean", "lead_time_days_mean", "sets_supplied_1953_1962_total"]]''',
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "small_office_few_translators.toml"
path.write_text("""\\
extends = "baseline_1952"
title = "A small office and few translators"
question = "What if the office had had 6 staff and each ministry 20 translators?"

[office]
staff = 6

[translation]
translators = 20
""", encoding="utf-8")
mine = run(path)
pd.DataFrame({"baseline_1952": results.summary, path.stem: mine.summary}).loc[
    ["office_wait_days_mean", "lead_time_days_mean", "pages_awaiting_translation_final",
     "sets_supplied_1953_1962_total"]]''',
    ),
]

#: What the solutions need from the notebook before its *Things to try*.
SOLUTION_SETUP = '''\
results = run("baseline_1952")'''
