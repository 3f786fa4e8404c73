"""Notebook 04: the break of 1960, and two counterfactuals: a break in 1957, or none."""

from common import EXPLANATION, HOW_TO_USE, SETUP, SOURCES, TRIES_HERE, Try, code, md, share

NAME = "04_the_1960_recall"

CELLS = [
    md("""\
# 04 The 1960 recall: what if it came in 1957, or never?

## What is it?

In July 1960 the Soviet Union cancelled its contracts (343 or 345 expert contracts and 257 scientific-technical
contracts, `history:contracts_cancelled_1960`) and withdrew its specialists between 28 July and 1 September
(`history:recall_1960`); about 1,500 were then present (`history:specialists_jul_1960`, Khrushchev's letter of
18 July 1960). By mid-1960, 103 of 304 Soviet-aided projects were finished (`history:projects_1960`). What if the
break had come three years earlier, or never?

**Learning goals.**

1. see how an event changes a run: the flow stops, but what was delivered stays;
2. separate supply (sets delivered) from use (adoption by enterprises);
3. read a counterfactual with care: it changes more than one thing, and it rests on the model's assumptions;
4. ask what a polemic, however authentic, can prove.

Time: about 30 minutes. **Basic**: sections 1-2 and the Basic things to try; **Extension**: scenario files that
move the break or keep the surge."""),
    md("""\
## How it works

The baseline follows the record: it withdraws all the specialists (1,390 left between July and September), cuts
approval and stalls most projects and research items (`history:stalled_units_1960`); after the June 1961
agreements (`history:agreements_jun_1961`) approval rises a little, and 9 and 10 experts came in 1961 and 1962
(`history:experts_sent_1961`, `history:experts_sent_1962`). Specialists raise the enterprises' capacity to
absorb material (`specialists.boost`, an assumption), and enterprises adopt on their own or from their network
neighbours (notebook 05). How many specialists were present *before* 1960 is set by dated events that are the
model's *assumptions*: the record gives one stock, about 1,500 in July 1960, and counts of arrivals that
conflict (`history:specialists_total_1950_60`).

`early_recall_1957` moves the break to July 1957 and drops what the baseline adds after it: the Great Leap surge,
the 122-item research agreement and the last key projects. `no_recall` removes the break and what followed it.
Each run goes to the end of 1962."""),
    md(HOW_TO_USE),
    code(SETUP),
    md("""\
## 1. Predict: the break in 1957

**Predict** before you run: with the break in July 1957, the sets supplied over 1953-1962 fall by about three
quarters. Will the technology index at the end of 1962 (the mean share of enterprises using the material) fall
by `"less"`, by `"about as much"` or by `"more"`, in proportion?"""),
    code('''\
my_prediction = ...  # "less", "about as much" or "more"
prediction = predict(my_prediction, options=["less", "about as much", "more"])'''),
    code('''\
names = ["early_recall_1957", "baseline_1952", "no_recall"]
runs = {name: run(name) for name in names}
figures = ["sets_supplied_1953_1962_total", "requests_fulfilled", "requests_rejected", "national_standards",
           "technology_index"]
pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})'''),
    code('''\
fig, axes = plt.subplots(3, 1, figsize=(10, 11), sharex=True)
plot_runs(axes[0], runs, "specialists_present")
mark_rows(axes[0], ["specialists_jul_1960"])
axes[0].set_title("Soviet specialists present in China: the model's ASSUMED steps (dated events), "
                  "beside the one recorded stock")
axes[0].set_ylabel("Specialists (persons)")
axes[0].legend(title="Scenario", fontsize=8, loc="upper left")
plot_runs(axes[1], runs, "sets_supplied_all")
mark_rows(axes[1], ["sets_total_1953_57_derived", "sets_total_1958_62"], cumulative=True)
axes[1].set_title("Sets of material supplied since September 1952, all kinds, and the record")
axes[1].set_ylabel("Sets (cumulative)")
axes[1].yaxis.set_major_formatter(mticker.StrMethodFormatter("{x:,.0f}"))
plot_runs(axes[2], runs, "technology_index", scale=100)
axes[2].set_title("Technology index: mean share of enterprises using the material (no record)")
axes[2].set_ylabel("Index (%)")
date_axis(axes[2])
fig.tight_layout()
plt.show()'''),
    md("**Compare** your prediction with the run:"),
    code('''\
early, base = runs["early_recall_1957"].summary, runs["baseline_1952"].summary
supply_fall = 1 - early["sets_supplied_1953_1962_total"] / base["sets_supplied_1953_1962_total"]
use_fall = 1 - early["technology_index"] / base["technology_index"]
ratio = use_fall / supply_fall
compare(prediction, "less" if ratio < 0.8 else "more" if ratio > 1.25 else "about as much",
        detail=f"sets supplied fall by {supply_fall:.0%}, the technology index by {use_fall:.0%}")'''),
    md("""\
**Explain.** After the break of 1957 hardly any material arrives. Does the technology index of
`early_recall_1957` go on rising after July 1957? `True` or `False`; then say why in your explanation below."""),
    code('''\
answer = ...  # True or False
index = runs["early_recall_1957"].timeseries["technology_index"]
check(answer, bool(index.iloc[-1] > index.loc[:"1957-07-28"].iloc[-1] + 0.05),
      why="material already delivered stays in China, and enterprises go on adopting it, on their own and "
          "above all from their network neighbours who already use it: adoption spreads long after supply "
          "stops. That is why the gap in use is much smaller than the gap in supply, in this model.",
      hint="look at the lowest panel after the first break: where is the early recall's line in 1957, and "
           "where in 1962?")'''),
    code(EXPLANATION),
    md("""\
## 2. One seed is one possible history

`sim.run_many` runs a scenario with several seeds and gives the mean and a 5-95 % band at each date. Is the gap
between the two scenarios larger than the spread between seeds?"""),
    code('''\
import sim

bands = {name: sim.run_many(name, seeds=5).bands("technology_index") for name in ["early_recall_1957", "baseline_1952"]}
fig, ax = plt.subplots(figsize=(9, 4))
for name, band in bands.items():
    ax.fill_between(band.index, band["low"] * 100, band["high"] * 100, alpha=0.3)
    ax.plot(band.index, band["mean"] * 100, label=f"{name}: mean of 5 seeds, 5-95 % band")
ax.set_title("Technology index over five seeds")
ax.set_ylabel("Index (%)")
date_axis(ax)
ax.legend()
fig.tight_layout()
plt.show()'''),
    md("""\
**Self-check.** At the end of 1962, do the two bands stay apart (the lower edge of the baseline's band above
the upper edge of the early recall's)? `True` or `False`. What does that allow you to say, and what not?"""),
    code('''\
answer = ...  # True or False
check(answer, bool(bands["baseline_1952"]["low"].iloc[-1] > bands["early_recall_1957"]["high"].iloc[-1]),
      why="the gap between the scenarios is many times the spread between seeds, so it is not chance in the "
          "model. It is still the model's answer: it rests on its assumptions about adoption, and the early "
          "recall also drops the surge of 1958, so not all of the gap is the recall's.",
      hint="compare the lower edge of the baseline's band with the upper edge of the early recall's at the "
           "right end of the figure")'''),
    md("""\
## Things to notice

After the recall the supply almost stops, but does adoption stop? Compare the gap between scenarios in sets
supplied with the gap in the technology index. The early recall also removes the surge of 1958: how much of
its gap is the recall itself (an Extension below separates the two)? Without the break the model supplies far
more in 1958-62 than the record's 60,329 sets: which of the diamonds does `no_recall` miss, and what does that
say about the record's accounting? Which assumption makes adoption so robust?"""),
    TRIES_HERE,
    md(SOURCES),
    code('''\
cite("recall_1960", "contracts_cancelled_1960", "specialists_jul_1960", "stalled_units_1960")'''),
    md("""\
**Source criticism.** The figures of 1,390 specialists withdrawn and of the cancelled contracts come from the
letter of the Chinese Communist Party's Central Committee of 29 February 1964 (`history:recall_1960`,
`history:contracts_cancelled_1960`), written to the Soviet party at the height of the split, to blame it. The
grade is A: it is a primary document. What can it prove?

- `"a"`: that exactly 1,390 specialists left and 600 contracts were cancelled;
- `"b"`: what the Chinese leadership asserted in 1964, in a quarrel, about the recall; its figures gain weight
  where the other side agrees (Khrushchev's own letter of July 1960 puts about 1,500 specialists in China,
  `history:specialists_jul_1960`), and its claims of damage need independent evidence;
- `"c"`: that the recall caused the stalled projects and the economic crisis."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="grade A says the letter is authentic and read at first hand, not that it is neutral. A polemic "
          "proves what its authors claimed and when; its numbers are credible where an opposing source "
          "agrees (1,390 withdrawn of about 1,500 present), and its causal claims need other evidence, such as "
          "the 'more than 250' stalled units of a later retrospective (grade B).",
      hint="who wrote the letter, to whom, when and why? Which figure in the list comes from the other side, "
           "and does it agree?")'''),
    md("""\
## Extending the model

In the model specialists raise every enterprise's absorptive capacity alike, and their departure removes that
boost at once. Historians describe specialists tied to particular projects and sectors. How would you attach
specialists to sectors, or let their training outlast them (the 38,000 Chinese trained in the USSR,
`history:trained_in_ussr`)? Specialists are in `sim/params.py` (`SpecialistsParams`) and the adoption rule in
`sim/adoption.py`."""),
    *share('"early_recall_1957"'),
]

TRIES = [
    Try(
        "Basic",
        "Edit the list `seeds` in the loop below: is the difference between `early_recall_1957` and the baseline "
        "larger than the variation between seeds, in sets supplied as in the technology index?",
        starter='''\
seeds = [8, 9]  # edit the list: add seeds
rows = {}
for seed in seeds:
    for name in ["early_recall_1957", "baseline_1952"]:
        r = run(name, seed=seed)
        rows[(name, seed)] = {"sets 1953-1962": r.summary["sets_supplied_1953_1962_total"],
                              "technology index": r.summary["technology_index"]}
pd.DataFrame(rows).T''',
        solution='''\
rows = {}
for seed in range(1, 11):
    for name in ["early_recall_1957", "baseline_1952"]:
        r = run(name, seed=seed)
        rows[(name, seed)] = {"sets 1953-1962": r.summary["sets_supplied_1953_1962_total"],
                              "technology index": r.summary["technology_index"]}
table = pd.DataFrame(rows).T
table.groupby(level=0).agg(["min", "max"])  # the ranges over seeds do not come near each other''',
    ),
    Try(
        "Basic",
        "In the dashboard (`python -m sim dashboard`), open *Compare* with `early_recall_1957` as *Scenario B*, "
        "and run both to 1962. Then, in *Explore*, set *Boost from Soviet specialists* (under *Key parameters*) "
        "to 0 and play the baseline: does the recall of 1960 still matter for adoption?",
        solution='''\
rows = {}
for boost in [0.0, 0.6, 1.5]:
    for name in ["baseline_1952", "no_recall"]:
        rows[(boost, name)] = run(name, overrides={"specialists.boost": boost}).summary["technology_index"]
table = pd.Series(rows).unstack()
table["what the recall costs"] = table["no_recall"] - table["baseline_1952"]
table.rename_axis("specialists.boost").round(3)''',
    ),
    Try(
        "Extension",
        "Write a scenario file with the break in July 1959 (the starter writes it: it extends the baseline and "
        "moves the two events of the break). Where does it fall between the early recall and the baseline?",
        starter='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "break_1959.toml"
path.write_text("""\\
extends = "baseline_1952"
title = "The break in July 1959"
question = "What if the contracts had been cancelled and the specialists withdrawn a year earlier?"

[[events]]
id = "contracts_cancelled"
date = 1959-07-16

[[events]]
id = "recall"
date = 1959-07-28
""", encoding="utf-8")
mine = run(path)
pd.DataFrame({name: r.summary for name, r in {**runs, path.stem: mine}.items()}).loc[
    ["sets_supplied_1953_1962_total", "technology_index"]]''',
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
rows = {}
for year in [1958, 1959, 1960, 1961]:
    path = folder / f"break_{year}.toml"
    path.write_text(f"""\\
extends = "baseline_1952"
title = "The break in July {year}"

[[events]]
id = "contracts_cancelled"
date = {year}-07-16

[[events]]
id = "recall"
date = {year}-07-28
""", encoding="utf-8")
    r = run(path)
    rows[year] = {"sets 1953-1962": r.summary["sets_supplied_1953_1962_total"],
                  "technology index": r.summary["technology_index"]}
# Events dated after a moved break still apply: after a break in 1958 the projects of August 1958 still come,
# and a break in 1957 would be undone by the surge of 1958 (early_recall_1957 switches those events off).
pd.DataFrame(rows).T.rename_axis("break in July")''',
    ),
    Try(
        "Extension",
        "Separate the recall from the surge: write a scenario that extends `early_recall_1957` but switches the "
        "surge's events back on (`great_leap`, `research_agreement_1958`, `projects_1958`, each with "
        "`enabled = true`). How much of the early recall's gap in the technology index is the recall itself?",
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "early_recall_with_surge.toml"
path.write_text("""\\
extends = "early_recall_1957"
title = "The break in 1957, the surge of 1958 kept"

[[events]]
id = "great_leap"
enabled = true

[[events]]
id = "research_agreement_1958"
enabled = true

[[events]]
id = "projects_1958"
enabled = true
""", encoding="utf-8")
kept = run(path)
index = {name: r.summary["technology_index"] for name, r in {**runs, path.stem: kept}.items()}
gap = index["baseline_1952"] - index["early_recall_1957"]
by_recall = index["baseline_1952"] - index[path.stem]
print(f"gap {gap:.3f}: {by_recall:.3f} from the recall's date ({by_recall / gap:.0%}), "
      f"{gap - by_recall:.3f} from dropping the surge")
pd.Series(index).round(4)''',
    ),
]

SOLUTION_SETUP = '''\
runs = {name: run(name) for name in ["early_recall_1957", "baseline_1952", "no_recall"]}'''
