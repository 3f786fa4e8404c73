"""Notebook 05: adoption by enterprises, own rate against peer influence (the Bass model)."""

from common import EXPLANATION, HOW_TO_USE, SETUP, SOURCES, TRIES_HERE, Try, code, md, share

NAME = "05_adoption_rates"

CELLS = [
    md("""\
# 05 Adoption rates: own rate against peer influence

## What is it?

Delivered material was of use only once enterprises adopted it. Soviet specialists helped
(`history:specialists_1950_56`; 5,092 worked in China 1950-1956), and some 38,000 Chinese trained in the USSR
carried practice home (`history:trained_in_ussr`). From 1958 China began to reissue Soviet standards as its own;
a secondary source dates the first national standard to 1958 (`history:gb_first`). How did the material spread
among enterprises: each on its own initiative, or by copying neighbours who already used it?

**Learning goals.**

1. read an S-shaped diffusion curve: the Bass model's *innovation* (own rate, p) and *imitation* (peer rate, q);
2. tell which of p and q starts adoption and which speeds it up;
3. tell a slow category from one whose material came late;
4. weigh sources that give conflicting figures.

Time: about 25 minutes. **Basic**: sections 1-2 and the Basic things to try; **Extension**: scenario files
that change the rates or move the research agreement."""),
    md("""\
## How it works

Each week an enterprise that has received material of a category adopts it with chance p + q × (share of its
network neighbours who have adopted it), scaled by its absorptive capacity, which Soviet specialists raise.
p and q are *assumptions*, per week and per category (`adoption.own_rate`, `adoption.peer_rate`; see
`docs/ODD.md`), as is the enterprise network (`network.within_degree`: links within a sector). In the model
fewer Soviet standards are requested from 1958, as China issues its own (an assumption, after
`history:gb_first`).

Scenarios: `slow_adoption` (p and q halved), `baseline_1952`, `fast_adoption` (doubled), run to mid-1960
(30 June), just before the break."""),
    md(HOW_TO_USE),
    code(SETUP),
    code('''\
from sim.paths import project_path

print(project_path("scenarios", "fast_adoption.toml").read_text())'''),
    code('''\
UNTIL = "1960-06-30"
names = ["slow_adoption", "baseline_1952", "fast_adoption"]
runs = {name: run(name, UNTIL) for name in names}
pd.DataFrame({name: {CATEGORY_LABELS[c]: r.summary[f"adoption_{c}"] for c in CATEGORIES}
              for name, r in runs.items()}).rename_axis("Share of enterprises using, mid-1960")'''),
    code('''\
fig, axes = plt.subplots(1, 3, figsize=(14, 4.5), sharey=True)
for ax, (name, r) in zip(axes, runs.items()):
    for c in CATEGORIES:
        ax.plot(r.timeseries.index, r.timeseries[f"adoption_{c}"] * 100, label=CATEGORY_LABELS[c])
    ax.set_title(f"Adoption by category: {name}")
    date_axis(ax)
axes[0].set_ylabel("Enterprises using the material (%)")
axes[0].legend(title="Category (as in the 1952 letter)", fontsize=8)
fig.tight_layout()
plt.show()'''),
    md("""\
## 1. Predict: no one adopts on their own

Set the own rate p to zero for all five categories (a scalar sets all five): enterprises can then adopt only
from neighbours who already have. **Predict** before you run: by mid-1960, will adoption of product standards
be `"as usual"`, `"slower"` or `"none at all"`?"""),
    code('''\
my_prediction = ...  # "as usual", "slower" or "none at all"
prediction = predict(my_prediction, options=["as usual", "slower", "none at all"])'''),
    code('''\
variants = {
    "baseline": runs["baseline_1952"],
    "peers only (p = 0)": run("baseline_1952", UNTIL, {"adoption.own_rate": 0.0}),
    "own rate only (q = 0)": run("baseline_1952", UNTIL, {"adoption.peer_rate": 0.0}),
}
fig, ax = plt.subplots(figsize=(9, 4.5))
plot_runs(ax, variants, "adoption_standards", scale=100)
ax.set_title(f"Adoption of product standards with and without each rate (seed {SEED})")
ax.set_ylabel("Enterprises using product standards (%)")
date_axis(ax)
ax.legend(title="Variant")
plt.show()'''),
    md("**Compare** your prediction with the run:"),
    code('''\
usual = variants["baseline"].summary["adoption_standards"]
no_own = variants["peers only (p = 0)"].summary["adoption_standards"]
compare(prediction, "none at all" if no_own == 0 else "slower" if no_own < 0.9 * usual else "as usual",
        detail=f"{100 * no_own:.1f} % of enterprises use product standards by mid-1960 with p = 0, "
               f"{100 * usual:.1f} % in the baseline")'''),
    md("""\
**Explain.** Which rate starts adoption, the `"own rate"` or the `"peer rate"`? (Which one, set to zero, leaves
no adoption at all, and why?)"""),
    code('''\
answer = ...  # "own rate" or "peer rate"
starts = "own rate" if variants["peers only (p = 0)"].summary["adoption_standards"] == 0 else "peer rate"
check(answer, starts,
      why="imitation needs someone to imitate: with p = 0 no enterprise ever adopts first, so the share of "
          "adopting neighbours stays zero and q has nothing to multiply. p starts adoption, q then speeds it up: "
          "with q = 0 adoption still comes, but far more slowly.",
      hint="with p = 0 an enterprise adopts only in proportion to its neighbours who already have: how many "
           "have at the start?")'''),
    code(EXPLANATION),
    md("""\
## 2. Slow rates, or late material?

In `fast_adoption.toml` (printed above) typical designs and technical-economic norms have the *same* rates, yet
by mid-1960 norms lag well behind. **Self-check.** Why?

- `"a"`: norms spread less from neighbour to neighbour;
- `"b"`: most norms came only with the research items of 1958, so they had less time to spread;
- `"c"`: chance: another seed would reverse them.

The same two categories (norms and operating procedures) lag at every seed from 1 to 10. Answer, then run the
figure below it."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="the rates are equal, so the difference must come from elsewhere: the research agreement of January "
          "1958 brought most of the norms (and operating procedures), so they had two years to spread where "
          "typical designs had seven. Before blaming a rate, ask when the material came.",
      hint="the rates are the same for both, so look at when each category's material was delivered; the "
           "figure below shows it")'''),
    code('''\
ts = runs["fast_adoption"].timeseries
fig, ax = plt.subplots(figsize=(9, 4))
for c in ["typical_designs", "norms"]:
    ax.plot(ts.index, ts[f"sets_delivered_{c}"] / ts[f"sets_delivered_{c}"].iloc[-1] * 100, label=CATEGORY_LABELS[c])
ax.set_title("When the material came: sets delivered to enterprises, as a share of those delivered by mid-1960")
ax.set_ylabel("Delivered so far (%)")
date_axis(ax)
ax.legend()
plt.show()'''),
    md("""\
## Things to notice

With p = 0, can adoption start at all? With q = 0, is the curve still S-shaped? Both curves still accelerate
at first, because deliveries grow year by year: the S shape has two causes, supply and imitation. Which
categories lag in the baseline, and is that because of their rates or because their material came late?"""),
    TRIES_HERE,
    md(SOURCES),
    code('''\
cite("trained_in_ussr", "trainees_ussr_1951_58", "specialists_1950_56", "specialists_total_1950_60")'''),
    md("""\
**Source criticism.** Two sources count Chinese trained in the USSR as 38,000 over 1950-1960
(`history:trained_in_ussr`) and 7,154 trainees over 1951-1958 (`history:trainees_ussr_1951_58`); counts of
Soviet specialists range from 5,092 to about 20,000 (`history:specialists_total_1950_60`). Which explanation
should a historian test first?

- `"a"`: one of the figures is a misprint;
- `"b"`: they count different things over different years (trainees, students or workers; with or without the
  military and nuclear programmes; persons or person-visits), so each may be right for what it counts;
- `"c"`: the higher grade wins, so 38,000 is right."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="conflicting counts usually count different things: the rows themselves note different years and "
          "definitions. A grade says how directly a source is known, not which of two definitions it uses; "
          "before choosing, read what each counts, and give a model the definition it needs.",
      hint="read the periods and units cite prints for each row: are they counting the same people over "
           "the same years?")'''),
    md("""\
## Extending the model

In the model an enterprise adopts a category once and for all. Historians describe Soviet standards adapted,
reissued as Chinese ones (GB) and sometimes dropped. How would you let adopted material be adapted or abandoned,
or let the specialists' trainees carry adoption between sectors? The adoption rule is in `sim/adoption.py`; the
network in `sim/network.py`."""),
    *share('"fast_adoption"'),
]

TRIES = [
    Try(
        "Basic",
        "Edit the list `degrees` in the loop below: does a thinner network (fewer links within a sector, "
        "`network.within_degree`) slow peer influence? By as much as halving q?",
        starter='''\
degrees = [2, 4, 8]  # edit the list: links per enterprise within its sector (8 in the baseline)
rows = {}
for degree in degrees:
    r = run("baseline_1952", UNTIL, {"network.within_degree": degree})
    rows[degree] = {"product standards (%)": 100 * r.summary["adoption_standards"],
                    "technology index (%)": 100 * r.summary["technology_index"]}
pd.DataFrame(rows).T.rename_axis("within_degree").round(1)''',
        solution='''\
rows = {}
for degree in [1, 2, 4, 8, 16]:
    r = run("baseline_1952", UNTIL, {"network.within_degree": degree})
    rows[f"within_degree {degree}"] = 100 * r.summary["technology_index"]
rows["q halved (slow peers)"] = 100 * run("baseline_1952", UNTIL, {"adoption.peer_rate": 0.005}).summary["technology_index"]
pd.Series(rows, name="technology index, mid-1960 (%)").round(1)''',
    ),
    Try(
        "Basic",
        "In the dashboard (`python -m sim dashboard`), move *Absorptive capacity of the enterprises* and *Boost "
        "from Soviet specialists* (under *Key parameters*) and play to mid-1960: which moves the *Share of "
        "enterprises that have adopted* panel more?",
        solution='''\
rows = {}
for label, overrides in {"baseline": {}, "no specialist boost": {"specialists.boost": 0.0},
                         "boost doubled": {"specialists.boost": 1.2},
                         "absorptive capacity 0.3": {"adoption.absorptive_mean": 0.3},
                         "absorptive capacity 0.9": {"adoption.absorptive_mean": 0.9}}.items():
    rows[label] = 100 * run("baseline_1952", UNTIL, overrides).summary["technology_index"]
pd.Series(rows, name="technology index, mid-1960 (%)").round(1)''',
    ),
    Try(
        "Extension",
        "Write a scenario file that raises the peer rate of blueprints only (the starter writes and runs it). "
        "Which categories move? Then raise the own rate instead, by the same factor: which matters more for "
        "blueprints, and why?",
        starter='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "my_adoption.toml"
path.write_text("""\\
extends = "baseline_1952"
title = "Blueprints spread faster from peer to peer"

[adoption]
peer_rate = { blueprints = 0.024 }
""", encoding="utf-8")
mine = run(path, UNTIL)
pd.DataFrame({"baseline_1952": runs["baseline_1952"].summary, path.stem: mine.summary}).loc[
    [f"adoption_{c}" for c in CATEGORIES]]''',
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
table = {"baseline_1952": runs["baseline_1952"].summary}
for rate, value in [("peer_rate", 0.024), ("own_rate", 0.005)]:  # each twice the baseline's blueprints rate
    path = folder / f"blueprints_{rate}.toml"
    path.write_text(f"""\\
extends = "baseline_1952"
title = "Blueprints: {rate} doubled"

[adoption]
{rate} = {{ blueprints = {value} }}
""", encoding="utf-8")
    table[path.stem] = run(path, UNTIL).summary
pd.DataFrame(table).loc[[f"adoption_{c}" for c in CATEGORIES]]''',
    ),
    Try(
        "Extension",
        "Test the answer of section 2: write a scenario that extends `fast_adoption` and moves the research "
        "agreement (the event `research_agreement_1958`) to January 1955. Do norms and operating procedures "
        "catch up?",
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "research_in_1955.toml"
path.write_text("""\\
extends = "fast_adoption"
title = "Fast adoption, the research agreement in 1955"

[[events]]
id = "research_agreement_1958"
date = 1955-01-18
""", encoding="utf-8")
early = run(path, UNTIL)
pd.DataFrame({name: {CATEGORY_LABELS[c]: r.summary[f"adoption_{c}"] for c in CATEGORIES}
              for name, r in {"fast_adoption": runs["fast_adoption"], path.stem: early}.items()})''',
    ),
]

SOLUTION_SETUP = '''\
UNTIL = "1960-06-30"
runs = {name: run(name, UNTIL) for name in ["baseline_1952", "fast_adoption"]}'''
