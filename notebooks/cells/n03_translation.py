"""Notebook 03: Russian translation, the stage after delivery; a bottleneck only in the surge."""

from common import EXPLANATION, HOW_TO_USE, SETUP, SOURCES, TRIES_HERE, Try, code, md, share

NAME = "03_translation"

CELLS = [
    md("""\
# 03 Translation: was Russian the bottleneck?

## What is it?

Material arrived in Russian. In 1955 two units at Anshan had more than forty Russian translators each, of
whom only about ten worked with the Soviet experts (`history:translators_anshan_1955`); at the Ferrous
Metallurgy Design Institute design documents were mostly translated by 1953
(`history:translators_design_institute`). Was translation the bottleneck of the transfer, and would more
translators have made the material usable sooner?

**Learning goals.**

1. follow a stage that comes *after* the Soviet side has shipped the material;
2. tell a bottleneck from a stage that merely takes time, and see that a stage can be one in some years and
   not in others;
3. see how a figure averaged over a period can hide what happens at its end (requests not yet delivered);
4. ask what a reader's letter to a newspaper can support.

Time: about 25 minutes. **Basic**: sections 1-2 and the Basic things to try; **Extension**: a scenario file
that moves the campaign."""),
    md("""\
## How it works

A set reaches Beijing and joins its ministry's queue of Russian pages; the ministry's translators work through
the pages (`translation.translators`, 45 per ministry of average weight, and `pages_per_translator_week`, 30:
both *assumptions*), and the translated set is delivered to the ministry's enterprises. The Anshan figures
count translators in single units, not in a ministry, so they suggest an order of magnitude and no more. The
record counts sets when the USSR *supplied* them; in the model too a set is counted when it is shipped, before
it is translated.

Scenarios: `baseline_1952` and `translation_campaign` (translators doubled from March 1955), run to the end of
1962, through the surge of 1958-1960 and the break."""),
    md(HOW_TO_USE),
    code(SETUP),
    md("""\
## 1. Predict: a translator campaign

**Predict** before you run: over the whole period, will the campaign shorten the mean lead time (request to
delivery of the translated set) `"not at all"`, `"a little"` (by under a quarter) or `"a lot"` (by a quarter
or more)? And will it change the number of sets supplied: `"fewer"`, `"the same"` or `"more"`?"""),
    code('''\
my_prediction = ...  # "not at all", "a little" or "a lot"
prediction = predict(my_prediction, options=["not at all", "a little", "a lot"])
my_prediction_2 = ...  # "fewer", "the same" or "more"
prediction_2 = predict(my_prediction_2, options=["fewer", "the same", "more"])'''),
    code('''\
runs = {name: run(name) for name in ["baseline_1952", "translation_campaign"]}
figures = ["lead_time_days_mean", "sets_supplied_1953_1962_total", "requests_fulfilled", "technology_index"]
pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})'''),
    code('''\
surge = (pd.Timestamp("1958-05-01"), pd.Timestamp("1960-07-28"))
campaign = pd.Timestamp("1955-03-01")
fig, axes = plt.subplots(2, 1, figsize=(9, 8))
plot_runs(axes[0], runs, "pages_awaiting_translation", scale=1 / 1000)
axes[0].axvspan(*surge, color="C1", alpha=0.12, label="the surge: Great Leap to the recall")
axes[0].axvline(campaign, color="0.4", linestyle="--")
axes[0].annotate(" campaign", (campaign, 1), xycoords=("data", "axes fraction"), va="top", fontsize=8)
axes[0].set_title(f"Russian pages waiting for translation, all ministries, 1952-1962 (seed {SEED})")
axes[0].set_ylabel("Pages waiting (thousands)")
date_axis(axes[0])
axes[0].legend(fontsize=8)

def lead_by_year(r):
    """Mean lead time of the delivered requests, by the year they were made."""
    done = r.ledger.dropna(subset=["delivered"])
    days = (done["delivered"] - done["created"]).dt.total_seconds() / 86400
    return days.groupby(done["created"].dt.year).mean()

by_year = pd.DataFrame({name: lead_by_year(r) for name, r in runs.items()})
by_year.plot.bar(ax=axes[1], rot=0)
axes[1].set_title("Mean lead time by year of request (delivered requests; 1961-62 cut short by the run's end)")
axes[1].set_xlabel("Year the request was made")
axes[1].set_ylabel("Lead time (days)")
fig.tight_layout()
plt.show()'''),
    md("**Compare** your predictions with the run:"),
    code('''\
base, camp = runs["baseline_1952"].summary, runs["translation_campaign"].summary
cut = 1 - camp["lead_time_days_mean"] / base["lead_time_days_mean"]
compare(prediction, "not at all" if cut < 0.05 else "a little" if cut < 0.25 else "a lot",
        detail=f"mean lead time {base['lead_time_days_mean']:.1f} days without the campaign, "
               f"{camp['lead_time_days_mean']:.1f} with it ({cut:.0%} shorter)")
compare(prediction_2, direction(base["sets_supplied_1953_1962_total"], camp["sets_supplied_1953_1962_total"],
                                within=0.01, words=["fewer", "the same", "more"]),
        detail=f"{base['sets_supplied_1953_1962_total']:,} sets without the campaign, "
               f"{camp['sets_supplied_1953_1962_total']:,} with it")'''),
    md("""\
**Explain.** Whose requests did the campaign speed up: those made in the First Plan, 1953-1957
(`"First Plan"`), or those made in the surge, 1958-1960 (`"surge"`)? Reason from when pages piled up."""),
    code('''\
answer = ...  # "First Plan" or "surge"
def made_in(r, first, last):
    done = r.ledger.dropna(subset=["delivered"])
    done = done[done["created"].dt.year.between(first, last)]
    return ((done["delivered"] - done["created"]).dt.total_seconds() / 86400).mean()
gains = {period: made_in(runs["baseline_1952"], *years) - made_in(runs["translation_campaign"], *years)
         for period, years in {"First Plan": (1953, 1957), "surge": (1958, 1960)}.items()}
check(answer, max(gains, key=gains.get),
      why="in the First Plan the baseline's translators keep up, so pages hardly wait and more translators "
          "save a day at most; in the surge pages pile up by the hundred thousand and twice the translators "
          "keep the queue short, saving months. A remedy helps only where the stage is a bottleneck.",
      hint="look at the top figure: in which years do pages pile up without the campaign? A stage with no "
           "queue cannot be sped up by more workers")'''),
    md("""\
**Explain.** The campaign halves the lead time yet leaves the sets supplied unchanged. In the model, is a set
counted `"before"` or `"after"` it is translated?"""),
    code('''\
answer = ...  # "before" or "after"
check(answer, "before" if runs["baseline_1952"].scenario.record.counted == "shipped" else "after",
      why="sets are counted when the USSR ships them, as the record counts what the USSR supplied; "
          "translation happens later, in China, so faster translation changes when the material is usable, "
          "not how much was supplied. (The scenario reading_counted_on_delivery counts on delivery instead.)",
      hint="read 'How it works': when does the record, and so the model, count a set?")'''),
    code(EXPLANATION),
    md("""\
## 2. A figure cut at the wrong moment

An earlier version of this notebook stopped both runs at the end of 1958. Then the mean lead time of the
requests delivered by that date barely differs between the scenarios, though tens of thousands of pages are
waiting in the baseline:"""),
    code('''\
def lead_delivered_by(r, date):
    """Mean lead time of the requests delivered by ``date``, and how many were made by then but not delivered."""
    led = r.ledger
    done = led[led["delivered"] <= date]
    waiting = led[(led["created"] <= date) & ~(led["delivered"] <= date) & led["rejected"].isna()]
    return {"mean lead time of requests delivered by then (days)":
                ((done["delivered"] - done["created"]).dt.total_seconds() / 86400).mean(),
            "requests made by then, not yet delivered": len(waiting),
            "pages waiting then": r.timeseries.loc[:date, "pages_awaiting_translation"].iloc[-1]}

pd.DataFrame({name: lead_delivered_by(r, "1958-12-31") for name, r in runs.items()}).round(1)'''),
    md("""\
**Self-check.** Why does the mean lead time of the requests delivered by the end of 1958 barely move, though
the baseline's backlog is huge?

- `"a"`: the backlog delayed nobody;
- `"b"`: the requests stuck in the backlog had not been delivered by the end of 1958, so a mean over the
  requests delivered by then leaves them out: their long lead times appear only in later years;
- `"c"`: the campaign had ended by 1958."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="a mean over the requests delivered by a date cannot include those still waiting, and the slow ones "
          "are exactly those still waiting: the figure hides the bottleneck until the run goes on. Compare "
          "by the year a request was made, and run past the period you care about.",
      hint="look at the table: how many requests made by the end of 1958 had not been delivered then, and "
           "are they in the mean?")'''),
    md("""\
## Things to notice

When was the translation queue longest, and what pushed it up: more requests, or larger sets? Was translation
a bottleneck in the First Plan (1953-57)? In the surge? The campaign halves the mean lead time, but the
technology index at the end of 1962 hardly moves: why might use by enterprises depend so little on a few
months' delay?"""),
    TRIES_HERE,
    md(SOURCES),
    code('''\
cite("translators_anshan_1955", "translators_design_institute")'''),
    md("""\
**Source criticism.** The Anshan figure comes from a reader's letter printed in *People's Daily* in July 1955
(`history:translators_anshan_1955`), complaining that of forty-odd translators in each of two units only about
ten worked with the Soviet experts. What can it support?

- `"a"`: the model's 45 translators per ministry;
- `"b"`: that some units had dozens of Russian translators in 1955, and that someone thought many of them
  idle, which the party newspaper chose to print; it is a complaint about two units, not a count for a
  ministry or the country;
- `"c"`: that translation was never a bottleneck."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="a published letter is good evidence of what the paper wanted said in 1955 (a campaign against "
          "waste) and of the writer's units; it cannot count a ministry's translators, nor speak for 1958, "
          "when the surge came. The model's translators per ministry stay an assumption it only bounds.",
      hint="who wrote it, about what, and why would a party newspaper print it? Does it count a ministry, "
           "or two units?")'''),
    md("""\
## Extending the model

In the model all pages are alike and any translator of the ministry can take any set. Design documents needed
engineers who read Russian, and the record suggests translators were unevenly used. How would you give
translators specialities, or let ministries lend translators to one another in the surge? The translation
process is in `sim/processes/`; its parameters in `sim/params.py` (`TranslationParams`)."""),
    *share('"translation_campaign"'),
]

TRIES = [
    Try(
        "Basic",
        "Edit the list `translators` in the loop below, which cuts the translators from the start and runs to the "
        "end of 1957. Below about how many translators per ministry do pages pile up even in the First Plan?",
        starter='''\
translators = [10, 15, 20, 45]  # edit the list: translators per ministry of average weight (45 in the baseline)
rows = {}
for n in translators:
    r = run("baseline_1952", "1957-12-31", {"translation.translators": n})
    pages = r.timeseries["pages_awaiting_translation"]
    rows[n] = {"pages waiting, end of 1957": pages.iloc[-1], "most pages waiting": pages.max(),
               "lead time (days)": r.summary["lead_time_days_mean"]}
pd.DataFrame(rows).T.rename_axis("translators").round(1)''',
        solution='''\
rows = {}
for n in [8, 10, 12, 15, 18, 20, 25, 45]:
    r = run("baseline_1952", "1957-12-31", {"translation.translators": n})
    pages = r.timeseries["pages_awaiting_translation"]
    rows[n] = {"pages waiting, end of 1957": pages.iloc[-1], "most pages waiting": pages.max(),
               "lead time (days)": r.summary["lead_time_days_mean"]}
table = pd.DataFrame(rows).T.rename_axis("translators")
ax = table["pages waiting, end of 1957"].plot(marker="o", logy=True, figsize=(7, 4),
                                                title="Pages waiting at the end of 1957 against translators")
ax.set_ylabel("Pages waiting (log scale)")
plt.show()
table.round(1)  # with 25 and more pages stay low; with 15 and fewer they pile up''',
    ),
    Try(
        "Basic",
        "In the dashboard (`python -m sim dashboard`), move *Russian translators per ministry* (under *Key "
        "parameters*) to 90 and press *Play* to 1962: watch the *Russian text awaiting translation* panel. Then "
        "use *Compare* with `translation_campaign` as *Scenario B*.",
        solution='''\
fig, ax = plt.subplots(figsize=(9, 4))
for label, r in {"45 translators (baseline)": runs["baseline_1952"],
                 "90 from the start": run("baseline_1952", overrides={"translation.translators": 90}),
                 "90 from March 1955 (campaign)": runs["translation_campaign"]}.items():
    ax.plot(r.timeseries.index, r.timeseries["pages_awaiting_translation"] / 1000, label=label)
ax.set_title("Russian pages waiting for translation")
ax.set_ylabel("Pages waiting (thousands)")
date_axis(ax)
ax.legend()
plt.show()''',
    ),
    Try(
        "Extension",
        "Write a scenario file that moves the campaign to January 1958, just before the surge: it extends "
        "`translation_campaign` and changes its event's date (the starter writes and runs it). Does a late "
        "campaign do as well as an early one? What does that say about when a remedy must come?",
        starter='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "late_campaign.toml"
path.write_text("""\\
extends = "translation_campaign"
title = "A late campaign: translators doubled from January 1958"
question = "Would a campaign just before the surge have done as well as one in 1955?"

[[events]]
id = "translator_campaign"
date = 1958-01-01
""", encoding="utf-8")
late = run(path)
pd.DataFrame({name: r.summary for name, r in {**runs, path.stem: late}.items()}).loc[
    ["lead_time_days_mean", "sets_supplied_1953_1962_total", "technology_index"]]''',
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
rows = {}
for date in ["1955-03-01", "1958-01-01", "1958-07-01", "1959-01-01"]:
    path = folder / f"campaign_{date}.toml"
    path.write_text(f"""\\
extends = "translation_campaign"
title = "Translators doubled from {date}"

[[events]]
id = "translator_campaign"
date = {date}
""", encoding="utf-8")
    rows[date] = {"lead time (days)": run(path).summary["lead_time_days_mean"]}
pd.DataFrame(rows).T.rename_axis("campaign from").round(1)  # in time for the surge is what matters''',
    ),
]

SOLUTION_SETUP = '''\
runs = {name: run(name) for name in ["baseline_1952", "translation_campaign"]}'''
