"""Write the teaching notebooks from the cells below: ``python notebooks/build.py``.

The ``.ipynb`` files are committed; ``tests/test_notebooks.py`` checks that they
match what this script writes, so edit the cells here and rebuild. Notebooks are
written without outputs or execution counts, with stable cell ids.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

SETUP = '''\
import matplotlib.pyplot as plt
import matplotlib.dates as mdates
import pandas as pd

from sim import load_scenario, TechTransferModel
from sim.catalog import CATEGORIES, CATEGORY_LABELS
from sim.teaching import check, friendly_errors

friendly_errors()  # a misspelt name or an unquoted answer gets a plain message
SEED = 7


def run(name, until="1962-12-31", overrides=None, seed=SEED):
    """Run a scenario from the library up to a date and return its results."""
    scenario = load_scenario(name)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    model = TechTransferModel(scenario, rng=seed)
    model.run_until(until)
    return model.results()


def date_axis(ax):
    """Years on the time axis."""
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel("Date")
'''

TRY_IT = "**Things to try.** "
ANSWERS = (
    "**How to answer a self-check.** Replace `...` with your answer and run the cell. Names go in quotes, "
    "as in `answer = 'office'`: an unquoted word is a Python name, and Python stops with a NameError. "
    "Numbers may be written as text with their unit or thousands separator (`'322 days'`, `'1,234'`, "
    "`'3.4 %'`); a share may be given as a percent (`37`) or a fraction (`0.37`). Answers are computed "
    "from your own run with the seed of the setup cell (`SEED = 7`)."
)
NOTICE = "**Things to notice.** "

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {}

NOTEBOOKS["00_quickstart"] = [
    ("md", """\
# 00 Quickstart: run the baseline and read its results

**Learning goals.** After this notebook you can

1. load a scenario from the library and run it with a seed;
2. read the three parts of a run's results: the time series, the ledger of requests and the summary;
3. draw a figure that a reader understands without the code;
4. compare a model figure with the historical record.

**Historical context.** On 6 September 1952 Zhou Enlai wrote to Molotov asking the Soviet government
to supply five kinds of technical material: product standards, typical designs, technical operating
procedures, manufacturing blueprints and technical-economic norms. Requests were to go through one
designated channel, the Commercial Counsellor's Office (`history:channel_1952`; the letter is in
`data/sources/zhou-enlai-to-molotov-1952-09-06.txt`). Shen Zhihua (2013), the only source for the
figure, puts the documentation the USSR supplied over the First and Second Five-Year Plans (1953-1962)
at about 80,000 complete sets (`history:sets_total_1953_62`), 60,329 of them in the Second Plan alone
(`history:sets_total_1958_62`). See `docs/history.md` for the full story and sources.

Time: about 10 minutes. Run the cells in order (Shift-Enter)."""),
    ("code", SETUP),
    ("md", """\
## 1. Load and run the baseline

A *scenario* is a set of parameters and dated events. `baseline_1952` is the run that follows the record:
one channel from 1952; demand from the plan and from the Soviet-aided key projects, agreed in batches from
1950 to 304 by 1960 (`history:projects_1960`); from the 1954 agreement a second channel, the joint
commission, agreeing requests at its sessions; in 1958 the 122-item research agreement
(`history:agreement_122_items_1958`), China's own standards and the Great Leap surge; the break of July
1960, when contracts were cancelled and the specialists withdrawn (`history:recall_1960`); the June 1961
agreements (`history:agreements_jun_1961`) and the few experts sent in 1961-62. The *seed* fixes the
random draws: the same scenario and seed give the same results on every machine."""),
    ("code", '''\
scenario = load_scenario("baseline_1952")
print(scenario.title)
print(scenario.question)
model = TechTransferModel(scenario, rng=SEED)
model.run_until("1962-12-31")
results = model.results()'''),
    ("md", "## 2. The summary: headline figures"),
    ("code", '''\
pd.Series(results.summary).to_frame("baseline_1952")'''),
    ("md", """\
## 3. The time series: one row per week

Columns whose name starts with `sets_supplied_` count the sets supplied since the start (cumulative)."""),
    ("code", '''\
results.timeseries[["requests_created", "requests_fulfilled", "office_queue", "technology_index"]].tail()'''),
    ("code", '''\
fig, ax = plt.subplots(figsize=(9, 4.5))
for category in CATEGORIES:
    ax.plot(results.timeseries.index, results.timeseries[f"sets_supplied_{category}"],
            label=CATEGORY_LABELS[category])
ax.set_title("Sets of technical material supplied since September 1952, baseline (seed 7)")
ax.set_ylabel("Sets supplied (cumulative)")
date_axis(ax)
ax.legend(title="Category (as in the 1952 letter)")
plt.show()'''),
    ("md", """\
## 4. The ledger: one row per request

Each request has a date for every stage it reached (`NaT` where it did not)."""),
    ("code", '''\
ledger = results.ledger
ledger[["request_id", "category", "ministry", "channel", "sets", "created", "delivered", "status"]].head()'''),
    ("code", '''\
delivered = ledger.dropna(subset=["delivered"])
lead_days = (delivered["delivered"] - delivered["created"]).dt.days
fig, ax = plt.subplots(figsize=(8, 4))
ax.hist(lead_days, bins=60)
ax.set_title("How long a request took, from request to delivery in Beijing (baseline)")
ax.set_xlabel("Lead time (days)")
ax.set_ylabel("Requests")
plt.show()'''),
    ("md", """\
## 5. Against the record

The record gives the ten-year total and the Second Plan's part of it (`history:sets_total_1958_62`); the
First Plan's figure is only the difference of the two (`history:sets_total_1953_57_derived`). The baseline's
demand is scaled to these figures, so agreement here checks the scaling: it is not evidence that the model
is right. The sources leave open how 60,329 sets fit a plan broken off in mid-1960; the scenarios
`reading_continued_after_1960` and `reading_counted_on_delivery` try two other readings."""),
    ("code", '''\
targets = pd.read_csv("../data/history_targets.csv").set_index("id")
record = float(targets.loc["sets_total_1953_62", "value"])
model_sets = results.summary["sets_supplied_1953_1962_total"]
print(f"Record: about {record:,.0f} sets; model: {model_sets:,} sets ({model_sets / record:.0%} of the record).")
plans = {"1953-1957 (First Plan)": ("sets_total_1953_57_derived", "sets_supplied_1953_1957_total"),
         "1958-1962 (Second Plan)": ("sets_total_1958_62", "sets_supplied_1958_1962_total")}
pd.DataFrame({plan: {"record": float(targets.loc[row, "value"]), "model": results.summary[figure]}
              for plan, (row, figure) in plans.items()}).T'''),
    ("md", f"""\
## Exercises

{NOTICE}Blueprints and norms run almost level, far ahead of the other three categories. Why? (Blueprints:
many sets per request, and the key projects ask for them; norms: mostly the research items of 1958.) When
were most sets supplied? Why is the histogram of lead times so spread out? The standard figures of the model
are also available: `results.plot()` returns them by name.

{TRY_IT}Run with `seed=8` and compare the total. How much does it change? Save a run with
`results.save("my_run")` and look at the files written.

{ANSWERS}

**Self-check 1.** What share of all sets supplied 1953-1962 were blueprints and norms together, in percent?
(Within 5 %.)"""),
    ("code", '''\
answer = ...  # percent, e.g. 40
s = results.summary
check(answer, 100 * (s["sets_supplied_1953_1962_blueprints"] + s["sets_supplied_1953_1962_norms"])
      / s["sets_supplied_1953_1962_total"], tolerance=0.05, unit="%",
      why="blueprints (many sets per request, asked for by the key projects) and norms (mostly the "
          "research items of 1958) are the two largest categories, far ahead of the other three.",
      hint="add the summary rows sets_supplied_1953_1962_blueprints and _norms, divide by "
           "sets_supplied_1953_1962_total and multiply by 100")'''),
    ("md", """\
**Self-check 2.** What was the mean lead time from request to delivery, in days? (Within 5 %.)"""),
    ("code", '''\
answer = ...  # a number of days
check(answer, results.summary["lead_time_days_mean"], tolerance=0.05, unit="days",
      why="lead_time_days_mean averages, over the delivered requests, the days from request to delivery "
          "of the translated set; the slow requests of the 1958 surge pull the mean up.",
      hint="the summary figure lead_time_days_mean, in the table of section 2")'''),
    ("md", """\
**Self-check 3.** How many sets did the model supply in the Second Five-Year Plan, 1958-1962? (Within 5 %.)
How close is that to the record's 60,329?"""),
    ("code", '''\
answer = ...  # a number of sets
check(answer, results.summary["sets_supplied_1958_1962_total"], tolerance=0.05, unit="sets",
      why="the summary counts sets when shipped; the baseline's demand is scaled to the record's 60,329 "
          "sets, so the two agree by construction, not as evidence.",
      hint="the summary figure sets_supplied_1958_1962_total, or the 'model' column of section 5")'''),
]

NOTEBOOKS["01_one_channel"] = [
    ("md", """\
# 01 One channel: the Counsellor's Office as a queue

**Learning goals.**

1. see a channel as a queue: arrivals, servers (staff) and waiting;
2. relate utilisation (the share of staff time in use) to waiting time;
3. compare two remedies: more staff, or triage by priority.

**Historical context.** Zhou Enlai's letter made the Commercial Counsellor's Office the single regular
channel for requests (`history:channel_1952`). Stalin had demanded that Chinese requests for equipment
reach Soviet industry well ahead of need (`history:lead_time_equipment`), and one Chinese request of
April 1954 went back and forth for months before it was refused (`history:lead_time_cc_letter`). The
office's size and working speed are not in the record: they are *assumptions* of the model
(`office.staff`, `office.requests_per_staff_week`; see `docs/ODD.md`). The baseline gives the office 24
staff from the start, enough for the Great Leap of 1958.

Scenarios: `baseline_1952`, `office_doubled`, `office_priority`. To keep the notebook fast we stop the
runs at the end of 1956, in the First Five-Year Plan, while the office still carried most requests (the
joint commission, from its first session in December 1954, took the rest). Time: about 20 minutes."""),
    ("code", SETUP),
    ("code", '''\
UNTIL = "1956-12-31"
names = ["baseline_1952", "office_doubled", "office_priority"]
runs = {name: run(name, UNTIL) for name in names}
for name in names:
    print(f"{name:16s} {load_scenario(name).title}")'''),
    ("code", '''\
figures = ["office_requests", "office_wait_days_mean", "office_utilisation_mean", "office_queue_max",
           "lead_time_days_mean", "requests_fulfilled"]
table = pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})
table'''),
    ("code", '''\
fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
for name, r in runs.items():
    ts = r.timeseries
    axes[0].plot(ts.index, ts["office_queue"], label=name)
    axes[1].plot(ts.index, ts["office_utilisation"] * 100, label=name)
axes[0].set_title("Requests waiting at the Counsellor's Office, 1952-1956")
axes[0].set_ylabel("Requests in queue")
axes[1].set_title("Share of office staff time in use")
axes[1].set_ylabel("Utilisation (%)")
date_axis(axes[1])
axes[0].legend(title="Scenario")
fig.tight_layout()
plt.show()'''),
    ("md", """\
## Waiting by priority

Under triage, key-project requests are served first. Who pays for it? Triage can only reorder a queue:
look at the office's queue and utilisation above before you read this table."""),
    ("code", '''\
def office_wait(r):
    """Days from arrival at the office to forwarding, by priority."""
    led = r.ledger[r.ledger["channel"] == "office"].dropna(subset=["queued", "forwarded"])
    wait = (led["forwarded"] - led["queued"]).dt.total_seconds() / 86400
    return wait.groupby(led["priority"]).mean()

waits = pd.DataFrame({name: office_wait(r) for name, r in runs.items()})
waits.index.name = "priority request"
waits'''),
    ("md", f"""\
## Exercises

{NOTICE}Was the office the bottleneck of the First Plan in the model? How busy were its staff, and how
long did a request wait there? Does doubling the staff shorten the lead time from request to delivery?
Does triage change anything when there is hardly a queue? Where else does a request spend its time?

{TRY_IT}Run `run("baseline_1952", UNTIL, {{"office.staff": 5}})`, then 3, 4, 8 and 16 staff, and plot the
mean office wait against staff. Is the relation a straight line? Then run the three scenarios to
`"1958-06-30"`: in the spring of 1958 demand rose steeply. What happens to the queue, and does triage now
help the key projects?

{ANSWERS}

**Self-check 1.** What share of the office staff's time was in use in the baseline, 1952-1956
(`office_utilisation_mean`), in percent or as a fraction? (Within 5 %.)"""),
    ("code", '''\
answer = ...  # percent, e.g. 90, or a share, e.g. 0.9
check(answer, runs["baseline_1952"].summary["office_utilisation_mean"], tolerance=0.05, unit="share",
      why="in the First Plan the office's staff were busy only a small part of the time, so requests hardly "
          "waited there: the office was not the bottleneck.",
      hint="the row office_utilisation_mean, column baseline_1952, of the table (a share of 1)")'''),
    ("md", """\
**Self-check 2.** Does doubling the office staff shorten the mean lead time (request to delivery) by
more than half? Answer `True` or `False`."""),
    ("code", '''\
answer = ...  # True or False
base, doubled = runs["baseline_1952"].summary, runs["office_doubled"].summary
check(answer, doubled["lead_time_days_mean"] < 0.5 * base["lead_time_days_mean"],
      why="requests hardly waited at the office anyway: most of the lead time is Soviet review, "
          "copying, shipping and translation, which more office staff do not shorten.",
      hint="compare lead_time_days_mean of baseline_1952 and office_doubled in the table; most of the "
           "lead time is spent outside the office")'''),
]

NOTEBOOKS["02_the_1954_agreement"] = [
    ("md", """\
# 02 The 1954 agreement: a second channel beside the office

**Learning goals.**

1. see how a second channel changes the load on the first;
2. read a time series around a dated event;
3. judge whether a change in the institutions mattered for what was delivered.

**Historical context.** On 12 October 1954 China and the Soviet Union signed an Agreement on Scientific
and Technical Cooperation (`history:agreement_1954`). Documentation was now to be supplied at the cost
of copying only (`history:price_1954`), and a joint commission of seven members per side
(`history:commission_size`) was to meet at least twice a year, alternately in Beijing and Moscow
(`history:commission_min_sessions`); its first session met on 28 December 1954
(`history:commission_first`). In the model the commission is a second channel that takes a share of
new requests (`commission.share`, an assumption); requests sent through it wait for the next session,
which agrees a batch of them (`commission.requests_per_session`, an assumption: 600 a session, 2,500 from
the Great Leap of 1958). The members agree requests at sessions; they do not work them off one by one, so
the commission's queue grows between sessions and empties at each one.

Scenarios: `baseline_1952` and `no_commission`, run to the end of 1958, so that the runs take in the surge
of demand of 1958. Time: about 20 minutes."""),
    ("code", SETUP),
    ("code", '''\
UNTIL = "1958-12-31"
runs = {name: run(name, UNTIL) for name in ["baseline_1952", "no_commission"]}
events = runs["baseline_1952"].events
events'''),
    ("code", '''\
figures = ["office_requests", "commission_requests", "office_wait_days_mean", "commission_wait_days_mean",
           "office_utilisation_mean", "lead_time_days_mean", "requests_fulfilled", "sets_supplied_1953_1962_total"]
pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})'''),
    ("code", '''\
opening = pd.Timestamp("1954-10-12")
fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
for name, r in runs.items():
    ts = r.timeseries
    axes[0].plot(ts.index, ts["office_queue"], label=f"office, {name}")
    axes[1].plot(ts.index, ts["lead_time_days"], label=name)
axes[0].plot(runs["baseline_1952"].timeseries.index, runs["baseline_1952"].timeseries["commission_queue"],
             label="commission, baseline_1952")
for ax in axes:
    ax.axvline(opening, color="0.4", linestyle="--")
    ax.annotate("1954 agreement", (opening, 1), xycoords=("data", "axes fraction"), va="top", fontsize=8)
axes[0].set_title("Requests waiting at each channel, 1952-1958")
axes[0].set_ylabel("Requests in queue")
axes[1].set_title("Lead time of requests delivered that week")
axes[1].set_ylabel("Lead time (days)")
date_axis(axes[1])
axes[0].legend()
axes[1].legend(title="Scenario")
fig.tight_layout()
plt.show()'''),
    ("md", f"""\
## Exercises

{NOTICE}Did the commission shorten the wait at the office, and in which years? Did it raise the number of
sets supplied by 1958? Why can the mean lead time be *shorter* without the commission? (How long does a
request wait for the next session?) Which is the binding constraint, the channels or the Soviet agencies'
review and copying?

{TRY_IT}Change the commission's share of requests: `run("baseline_1952", UNTIL, {{"commission.share": 0.7}})`.
Then halve the office: `{{"office.staff": 5}}` with and without the commission (`no_commission`). When does the
second channel matter most?

{ANSWERS}

**Self-check 1.** Without the commission, is the mean office wait longer than in the baseline? `True`/`False`."""),
    ("code", '''\
answer = ...  # True or False
check(answer, runs["no_commission"].summary["office_wait_days_mean"]
      > runs["baseline_1952"].summary["office_wait_days_mean"],
      why="without the commission every request queues at the office, and in the 1958 surge its "
          "staff cannot keep up.",
      hint="compare office_wait_days_mean of the two columns of the table")'''),
    ("md", """\
**Self-check 2.** How many requests went through the commission in the baseline by the end of 1958?
(Within 2 %.)"""),
    ("code", '''\
answer = ...  # a number of requests
check(answer, runs["baseline_1952"].summary["commission_requests"], tolerance=0.02, unit="requests",
      why="commission_requests counts the requests sent through the commission from its first session "
          "in December 1954; it takes a share (commission.share) of the new requests.",
      hint="the row commission_requests, column baseline_1952, of the table")'''),
]

NOTEBOOKS["03_translation"] = [
    ("md", """\
# 03 Translation: was Russian the bottleneck?

**Learning goals.**

1. follow a stage that comes *after* delivery: material arrives in Russian and must be translated;
2. tell a bottleneck from a stage that merely takes time;
3. test a remedy dated in the past (an event in a scenario).

**Historical context.** Material arrived in Russian. In 1955 two units at Anshan had more than forty
Russian translators each, of whom only about ten worked with the Soviet experts
(`history:translators_anshan_1955`); at the Ferrous Metallurgy Design Institute design documents were
mostly translated by 1953 (`history:translators_design_institute`). The number of translators per
ministry and their speed (`translation.translators`, `translation.pages_per_translator_week`) are
*assumptions* of the model (45 per ministry of average weight): the Anshan figures count translators in
single units, not in a ministry, so they suggest an order of magnitude and no more.

Scenarios: `baseline_1952` and `translation_campaign` (translators doubled from March 1955), run to the
end of 1958, so that the runs take in the first months of the surge of 1958. Time: about 20 minutes."""),
    ("code", SETUP),
    ("code", '''\
UNTIL = "1958-12-31"
runs = {name: run(name, UNTIL) for name in ["baseline_1952", "translation_campaign"]}
runs["baseline_1952"].summary["pages_awaiting_translation_final"]'''),
    ("code", '''\
fig, axes = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
campaign = pd.Timestamp("1955-03-01")
for name, r in runs.items():
    ts = r.timeseries
    axes[0].plot(ts.index, ts["pages_awaiting_translation"] / 1000, label=name)
    axes[1].plot(ts.index, ts["requests_translating"], label=name)
for ax in axes:
    ax.axvline(campaign, color="0.4", linestyle="--")
    ax.annotate("translator campaign", (campaign, 1), xycoords=("data", "axes fraction"), va="top", fontsize=8)
axes[0].set_title("Russian pages waiting for translation, all ministries")
axes[0].set_ylabel("Pages waiting (thousands)")
axes[1].set_title("Requests delivered to China and still being translated")
axes[1].set_ylabel("Requests")
date_axis(axes[1])
axes[0].legend(title="Scenario")
fig.tight_layout()
plt.show()'''),
    ("code", '''\
def translation_days(r):
    """Mean days from arrival in China to delivery of a translated set."""
    led = r.ledger.dropna(subset=["arrived", "delivered"])
    return ((led["delivered"] - led["arrived"]).dt.total_seconds() / 86400).mean()

figures = ["lead_time_days_mean", "requests_fulfilled", "technology_index"]
table = pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})
table.loc["translation_days_mean"] = [translation_days(r) for r in runs.values()]
table'''),
    ("md", f"""\
## Exercises

{NOTICE}When was the translation queue longest? What pushed it up: more requests, or larger sets? Was
translation a bottleneck in the First Plan (1953-57)? In 1958? Did the campaign shorten the whole lead time
much? What share of the lead time was translation?

{TRY_IT}Run both scenarios to the end of 1962 (`run(name)`): in the Great Leap surge, does translation become
the bottleneck, and what does the campaign do to the lead time then? Halve the translators from the start:
`run("baseline_1952", UNTIL, {{"translation.translators": 20}})`. Find roughly the number of translators
below which pages pile up even in the First Plan.

{ANSWERS}

**Self-check 1.** Did the campaign shorten the mean time from arrival to delivery? `True`/`False`."""),
    ("code", '''\
answer = ...  # True or False
check(answer, table.loc["translation_days_mean", "translation_campaign"]
      < table.loc["translation_days_mean", "baseline_1952"],
      why="twice the translators from March 1955 work off the Russian pages faster, above all when the "
          "1958 surge brings more pages than the baseline's translators can handle.",
      hint="compare the two columns of the row translation_days_mean")'''),
    ("md", """\
**Self-check 2.** In the baseline, what was the mean time from arrival in China to delivery of the
translated set, in days? (Within 5 %.)"""),
    ("code", '''\
answer = ...  # days
check(answer, table.loc["translation_days_mean", "baseline_1952"], tolerance=0.05, unit="days",
      why="in the First Plan translation is a short stage; the pages of the 1958 surge lengthen it.",
      hint="the row translation_days_mean, column baseline_1952, of the table")'''),
]

NOTEBOOKS["04_the_1960_recall"] = [
    ("md", """\
# 04 The 1960 recall: what if it came in 1957, or never?

**Learning goals.**

1. see how an event changes a run: the flow stops, but what was delivered stays;
2. separate supply (sets delivered) from use (adoption by enterprises);
3. read a counterfactual with care: the model's answer rests on its assumptions.

**Historical context.** In July 1960 the Soviet Union cancelled its contracts (343 or 345 expert
contracts and 257 scientific-technical contracts, `history:contracts_cancelled_1960`) and withdrew its
specialists between 28 July and 1 September (`history:recall_1960`); about 1,500 were then present
(`history:specialists_jul_1960`, Khrushchev's letter of 18 July 1960).
By mid-1960, 103 of 304 Soviet-aided projects were finished
(`history:projects_1960`). The baseline withdraws all the specialists (1,390 left between July and
September, `history:recall_1960`), cuts approval and stalls most projects and research items
(`history:stalled_units_1960`); after the June 1961 agreements (`history:agreements_jun_1961`) approval
rises a little, and 9 and 10 experts came in 1961 and 1962 (`history:experts_sent_1961`,
`history:experts_sent_1962`). `early_recall_1957` moves the break to July 1957 and drops what the baseline
adds after it: the Great Leap surge, the 122-item research agreement and the last key projects.
`no_recall` removes the break and what followed it.

Each run goes to the end of 1962 (three full runs, under half a minute). Time: about 25 minutes."""),
    ("code", SETUP),
    ("code", '''\
names = ["early_recall_1957", "baseline_1952", "no_recall"]
runs = {name: run(name) for name in names}
figures = ["sets_supplied_1953_1962_total", "requests_fulfilled", "requests_rejected", "national_standards",
           "technology_index"]
pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})'''),
    ("code", '''\
fig, axes = plt.subplots(3, 1, figsize=(9, 10), sharex=True)
for name, r in runs.items():
    ts = r.timeseries
    total = sum(ts[f"sets_supplied_{c}"] for c in CATEGORIES)
    axes[0].plot(ts.index, ts["specialists_present"], label=name)
    axes[1].plot(ts.index, total / 1000, label=name)
    axes[2].plot(ts.index, ts["technology_index"] * 100, label=name)
axes[0].set_title("Soviet specialists present in China")
axes[0].set_ylabel("Specialists (persons)")
axes[1].set_title("Sets of material supplied since September 1952, all categories")
axes[1].set_ylabel("Sets (thousands, cumulative)")
axes[2].set_title("Technology index: mean share of enterprises using the material")
axes[2].set_ylabel("Index (%)")
date_axis(axes[2])
axes[0].legend(title="Scenario")
fig.tight_layout()
plt.show()'''),
    ("md", """\
One seed is one possible history. `sim.run_many` runs a scenario with several seeds and gives the
mean and a 5-95 % band at each date: is the gap between the two scenarios larger than the band?"""),
    ("code", '''\
import sim

fig, ax = plt.subplots(figsize=(9, 4))
for name in ["early_recall_1957", "baseline_1952"]:
    many = sim.run_many(name, seeds=5)
    band = many.bands("technology_index")
    ax.fill_between(band.index, band["low"] * 100, band["high"] * 100, alpha=0.3)
    ax.plot(band.index, band["mean"] * 100, label=f"{name}: mean of 5 seeds, 5-95 % band")
ax.set_title("Technology index over five seeds")
ax.set_ylabel("Index (%)")
date_axis(ax)
ax.legend()
fig.tight_layout()
plt.show()'''),
    ("md", f"""\
## Exercises

{NOTICE}After the recall the supply almost stops, but does adoption stop? Why does the technology index
keep rising for a while? Compare the gap between scenarios in sets supplied with the gap in the technology
index. The early recall also removes the surge of 1958: how much of its gap is the recall itself?

{TRY_IT}Run `early_recall_1957` with other seeds (`seed=8`, `seed=9`): is the difference from the
baseline larger than the variation between seeds? Open `scenarios/early_recall_1957.toml` and write your
own scenario file with the break in 1959.

{ANSWERS}

**Self-check 1.** Order the three scenarios by sets supplied 1953-1962, smallest first (a list of names)."""),
    ("code", '''\
answer = ...  # a list of names in quotes, e.g. ["no_recall", "baseline_1952", "early_recall_1957"]
expected = sorted(runs, key=lambda n: runs[n].summary["sets_supplied_1953_1962_total"])
check(answer, expected,
      why="the early recall stops supply from 1957 and drops the 1958 surge; without the break, supply "
          "goes on through 1962.",
      hint="sort the scenarios by the row sets_supplied_1953_1962_total of the first table")'''),
    ("md", """\
**Self-check 2.** By how many percent is the technology index at the end of 1962 lower under the early
recall than in the baseline? (Within 10 %, relative.)"""),
    ("code", '''\
answer = ...  # percent, e.g. 12.5
base = runs["baseline_1952"].summary["technology_index"]
early = runs["early_recall_1957"].summary["technology_index"]
check(answer, 100 * (base - early) / base, tolerance=0.10, unit="%",
      why="what was delivered before the break stays and keeps spreading among enterprises, so the gap "
          "in use is much smaller than the gap in sets supplied.",
      hint="100 × (baseline − early recall) / baseline, from the row technology_index of the first table")'''),
]

NOTEBOOKS["05_adoption_rates"] = [
    ("md", """\
# 05 Adoption rates: own rate against peer influence

**Learning goals.**

1. read an S-shaped diffusion curve: the Bass model's *innovation* (own rate, p) and *imitation*
   (peer rate, q);
2. vary a parameter per category in a scenario file;
3. tell which of p and q shapes the start and which the middle of the curve.

**Historical context.** Delivered material was of use only once enterprises adopted it. Soviet
specialists helped (`history:specialists_1950_56`; 5,092 worked in China 1950-1956), and some 38,000
Chinese trained in the USSR carried practice home (`history:trained_in_ussr`). From 1958 China began
to reissue Soviet standards as its own; a secondary source dates the first national standard to 1958
(`history:gb_first`, grade C); in the model fewer Soviet standards are requested from then on (an
assumption).
The adoption rates themselves are *assumptions* (`adoption.own_rate`, `adoption.peer_rate`, per week,
per category; see `docs/ODD.md`). In the model an enterprise adopts with weekly chance
p + q × (share of its network neighbours who have adopted), scaled by its absorptive capacity.

Scenarios: `slow_adoption`, `baseline_1952`, `fast_adoption`, run to mid-1960 (30 June), just before the break. Time: about 25 minutes."""),
    ("code", SETUP),
    ("code", '''\
print(open("../scenarios/fast_adoption.toml").read())'''),
    ("code", '''\
UNTIL = "1960-06-30"
names = ["slow_adoption", "baseline_1952", "fast_adoption"]
runs = {name: run(name, UNTIL) for name in names}
pd.DataFrame({name: {CATEGORY_LABELS[c]: r.summary[f"adoption_{c}"] for c in CATEGORIES}
              for name, r in runs.items()}).rename_axis("Share of enterprises using, mid-1960")'''),
    ("code", '''\
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
    ("md", """\
## Own rate or peers?

Set one of the two rates to zero for all categories (a scalar sets all five) and compare."""),
    ("code", '''\
variants = {
    "baseline": runs["baseline_1952"],
    "peers only (p = 0)": run("baseline_1952", UNTIL, {"adoption.own_rate": 0.0}),
    "own rate only (q = 0)": run("baseline_1952", UNTIL, {"adoption.peer_rate": 0.0}),
}
fig, ax = plt.subplots(figsize=(9, 4.5))
for label, r in variants.items():
    ax.plot(r.timeseries.index, r.timeseries["adoption_standards"] * 100, label=label)
ax.set_title("Adoption of Product standards with and without each rate")
ax.set_ylabel("Enterprises using product standards (%)")
date_axis(ax)
ax.legend(title="Variant")
plt.show()'''),
    ("md", f"""\
## Exercises

{NOTICE}With p = 0, can adoption start at all? (What seeds it?) With q = 0, is the curve still S-shaped?
Which categories lag in the baseline, and is that because of their rates or because their material came
late? (Most operating procedures and norms are asked for by the research items of 1958.)

{TRY_IT}Write a scenario file `my_adoption.toml` with `extends = "baseline_1952"` and an `[adoption]`
table that raises the peer rate of blueprints only; load it with `load_scenario("my_adoption.toml")`.
Try `{{"network.within_degree": 2}}`: does a thinner network slow peer influence?

{ANSWERS}

**Self-check 1.** With the own rate set to zero, is adoption of product standards by mid-1960 above 1 %?
`True`/`False`."""),
    ("code", '''\
answer = ...  # True or False
check(answer, variants["peers only (p = 0)"].summary["adoption_standards"] > 0.01,
      why="with p = 0 no enterprise adopts on its own, so there is no first adopter for its peers to "
          "imitate: peer influence needs a seed.",
      hint="look at the curve 'peers only (p = 0)' in the figure: what starts adoption when nobody has "
           "adopted yet?")'''),
    ("md", """\
**Self-check 2.** Under `fast_adoption`, name one of the two categories with the lowest adoption by
mid-1960. Answer with its key in quotes, e.g. `"standards"`, or its label. (The same two lag at every seed
from 1 to 10; which of them is last depends on the seed.)"""),
    ("code", '''\
answer = ...  # a category key or label, in quotes
lowest_two = sorted(CATEGORIES, key=lambda c: runs["fast_adoption"].summary[f"adoption_{c}"])[:2]
check(answer, set(lowest_two),
      why="most operating procedures and norms come with the research items of 1958, so they had less "
          "time to spread than the material of the First Plan.",
      hint="the two smallest figures in the fast_adoption column of the first table")'''),
]

NOTEBOOKS["06_sweeps_and_sensitivity"] = [
    ("md", """\
# 06 Sweeps and sensitivity: which assumptions matter?

**Learning goals.**

1. write a sweep: parameters varied over ranges, replicates, seeds;
2. run it with the sweep runner and read its summary table;
3. read Sobol indices: first-order (S1) and total (ST) effects, with confidence intervals.

**Historical context.** Many parameters of the model are assumptions, not records (`docs/ODD.md`,
section 4). A sensitivity analysis tells which of them the headline figures depend on, and so which
archival questions would matter most: how large the Counsellor's Office was, how many translators
ministries had, how readily Soviet agencies approved requests (`history:lead_time_cc_letter`).

The sweep here is deliberately small (a Sobol' design of 16 base samples, 80 runs, short runs to the end of 1955) so that it runs
in under two minutes; its indices are rough, which is itself worth noticing. Time: about 30 minutes."""),
    ("code", SETUP),
    ("code", '''\
import tempfile
from pathlib import Path

from sim.sweep import load_sweep_spec, run_sweep
from sim.sweep.analysis import sensitivity

spec = load_sweep_spec({
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
})
spec'''),
    ("code", '''\
out = Path(tempfile.mkdtemp(prefix="ziliao_sweep_"))
results = run_sweep(spec, out / "teaching_small", workers=2, progress=False)
results.summary.head()'''),
    ("code", '''\
FIGURE = "lead_time_days_mean"
fig, axes = plt.subplots(1, 3, figsize=(13, 4), sharey=True)
units = {"office.staff": "persons", "translation.translators": "persons per ministry",
         "soviet.approval": "probability"}
for ax, (parameter, unit) in zip(axes, units.items()):
    ax.scatter(results.summary[parameter], results.summary[FIGURE], s=12)
    ax.set_xlabel(f"{parameter} ({unit})")
    ax.set_title(f"Lead time against {parameter}")
axes[0].set_ylabel("Mean lead time, request to delivery (days)")
fig.tight_layout()
plt.show()'''),
    ("code", '''\
indices = sensitivity(results, FIGURE)
indices'''),
    ("code", '''\
fig, ax = plt.subplots(figsize=(8, 4))
x = range(len(indices))
ax.bar([i - 0.2 for i in x], indices["S1"], width=0.4, yerr=indices["S1_conf"], label="first order (S1)")
ax.bar([i + 0.2 for i in x], indices["ST"], width=0.4, yerr=indices["ST_conf"], label="total (ST)")
ax.set_xticks(list(x), list(indices.index))
ax.set_title(f"Sobol indices of {FIGURE} (small sweep, rough)")
ax.set_xlabel("Parameter")
ax.set_ylabel("Share of output variance (0-1)")
ax.legend()
plt.show()'''),
    ("md", f"""\
## Exercises

{NOTICE}Look first at the scatter plots: by how many days does the lead time vary over the whole sweep?
An index is a share of that variance, however small the variance is. Which parameter has the largest total
index? Are the confidence intervals narrow enough to rank the parameters? Where ST is much larger than S1,
the parameter acts through interactions.

{TRY_IT}Double `samples` and compare the confidence intervals (and the time taken). Change `FIGURE` to
`"technology_index"` or `"sets_supplied_1953_1962_total"`. Set `"until"` to `"1959-12-31"` to take in the
Great Leap surge (the sweep takes longer): do the indices change? Run a larger sweep from the command line with
`python -m sim sweep` and a file from `sweeps/`.

{ANSWERS}

**Self-check.** Which parameter has the largest total-order index (ST) for the mean lead time, in this
sweep with its seed 7? Answer with the parameter's name in quotes."""),
    ("code", '''\
answer = ...  # "office.staff", "translation.translators" or "soviet.approval"
check(answer, indices["ST"].idxmax(),
      why="its ST is the largest in the table: it accounts for the largest share of the lead time's "
          "variance, alone and through interactions. The intervals are wide: another seed may rank "
          "the parameters differently.",
      hint="the parameter (row) with the largest value in the ST column of the indices table")'''),
]


def build(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` as written by this script."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source) in enumerate(NOTEBOOKS[name]):
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        cell.id = f"{name[:2]}-{i:02d}"
        nb.cells.append(cell)
    return nb


def render(name: str) -> str:
    """The text of ``name``.ipynb as committed."""
    return nbformat.writes(build(name)) + "\n"


def main() -> int:
    """Write every notebook beside this script."""
    for name in NOTEBOOKS:
        (HERE / f"{name}.ipynb").write_text(render(name), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
