"""Notebook 02: the joint commission of 1954, a second channel that agrees requests at its sessions."""

from common import EXPLANATION, HOW_TO_USE, SETUP, SOURCES, TRIES_HERE, Try, code, md, share

NAME = "02_the_1954_agreement"

CELLS = [
    md("""\
# 02 The 1954 agreement: a second channel beside the office

## What is it?

On 12 October 1954 China and the Soviet Union signed an Agreement on Scientific and Technical Cooperation
(`history:agreement_1954`). Documentation was now to be supplied at the cost of copying only
(`history:price_1954`), and a joint commission of seven members per side (`history:commission_size`) was to
meet at least twice a year, alternately in Beijing and Moscow (`history:commission_min_sessions`); its first
session met on 28 December 1954 (`history:commission_first`). Did a second channel make the material arrive
sooner?

**Learning goals.**

1. see how a second channel changes the load on the first;
2. see that a channel which works in batches (sessions) adds waiting of its own, and reason out how much;
3. read a time series around a dated event;
4. ask what an official communiqué can prove.

Time: about 20 minutes. **Basic**: sections 1-2 and the Basic things to try; **Extension**: a scenario file
in which the commission meets more often."""),
    md("""\
## How it works

In the model the commission is a second channel that takes a share of the new requests (`commission.share`,
an assumption: 40 % in the baseline). A request sent through it waits for the next session, which agrees a batch of them
(`commission.requests_per_session`, an assumption: 600 a session, 2,500 from the Great Leap of 1958). The
members agree requests at sessions; they do not work them off one by one, so the commission's queue grows
between sessions and empties at each one. The office takes the rest, as in notebook 01.

Scenarios: `baseline_1952` and `no_commission`, run to the end of 1958, so that the runs take in the surge of
demand of 1958."""),
    md(HOW_TO_USE),
    code(SETUP),
    md("""\
## 1. Predict: a second channel

**Predict** before you run: to the end of 1958, will the mean lead time (request to delivery in China) be
`"shorter"`, `"about the same"` or `"longer"` *with* the commission (`baseline_1952`) than without it
(`no_commission`)?"""),
    code('''\
my_prediction = ...  # "shorter", "about the same" or "longer"
prediction = predict(my_prediction, options=["shorter", "about the same", "longer"])'''),
    code('''\
UNTIL = "1958-12-31"
runs = {name: run(name, UNTIL) for name in ["baseline_1952", "no_commission"]}
figures = ["office_requests", "commission_requests", "office_wait_days_mean", "commission_wait_days_mean",
           "office_utilisation_mean", "lead_time_days_mean", "requests_fulfilled", "sets_supplied_1953_1962_total"]
pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})'''),
    code('''\
opening = pd.Timestamp("1954-12-28")
fig, axes = plt.subplots(2, 1, figsize=(9, 7.5), sharex=True)
queues = {"office, baseline_1952": runs["baseline_1952"], "office, no_commission": runs["no_commission"]}
plot_runs(axes[0], queues, "office_queue")
commission = runs["baseline_1952"].timeseries["commission_queue"]
axes[0].plot(commission.index, commission, color="C2", label="commission, baseline_1952")
plot_runs(axes[1], runs, "lead_time_days")
for ax in axes:
    ax.axvline(opening, color="0.4", linestyle="--")
    ax.annotate(" first session", (opening, 1), xycoords=("data", "axes fraction"), va="top", fontsize=8)
axes[0].set_title(f"Requests waiting at each channel, 1952-1958 (seed {SEED})")
axes[0].set_ylabel("Requests in queue")
axes[1].set_title("Lead time of the requests delivered that week (the two runs agree until the first session)")
axes[1].set_ylabel("Lead time (days)")
date_axis(axes[1])
axes[0].legend(fontsize=8)
axes[1].legend(title="Scenario", fontsize=8)
fig.tight_layout()
plt.show()'''),
    md("**Compare** your prediction with the run:"),
    code('''\
base, without = runs["baseline_1952"].summary, runs["no_commission"].summary
compare(prediction, direction(without["lead_time_days_mean"], base["lead_time_days_mean"],
                              words=["shorter", "about the same", "longer"]),
        detail=f"mean lead time {base['lead_time_days_mean']:.1f} days with the commission, "
               f"{without['lead_time_days_mean']:.1f} without")'''),
    md("""\
**Explain.** Which is longer: a request's wait for the commission's next session (`"commission"`), or its
wait at the office in a world without the commission (`"office"`)? Reason from how each channel works, then
check."""),
    code('''\
answer = ...  # "commission" or "office"
waits = {"commission": base["commission_wait_days_mean"], "office": without["office_wait_days_mean"]}
check(answer, max(waits, key=waits.get),
      why="a request reaching the commission waits for the next session, on average about half the six "
          "months between sessions; the office, even alone, handles a request in days except at the "
          "height of the 1958 surge. The second channel relieves the office but is the slower channel.",
      hint="how often does the commission meet, and how long does a request reaching it at a random "
           "moment wait for the next session?")'''),
    code(EXPLANATION),
    md("""\
## 2. Reason it out: more sessions

Requests reach the commission evenly through the year and wait for its next session. **Self-check.** If the
commission met four times a year instead of twice (`commission.sessions_per_year = 4`), what would the mean
wait for a session be, in days? Work it out from how a session works, not from a run (within 15 %); the cell
runs the model to check you."""),
    code('''\
answer = ...  # a number of days
four = run("baseline_1952", UNTIL, {"commission.sessions_per_year": 4})
check(answer, four.summary["commission_wait_days_mean"], tolerance=0.15, unit="days",
      why="a request arriving at a random moment waits on average half the interval between sessions: "
          "365 / 4 / 2 ≈ 46 days with four sessions, against about 91 with two (the model's 86 is a little "
          "less, because some requests arrive just before a session).",
      hint="with sessions every 365 / 4 days, how long does a request arriving at a random moment wait on "
           "average? Halve the interval")'''),
    code('''\
print(f"Lead time with four sessions a year: {four.summary['lead_time_days_mean']:.1f} days "
      f"(two: {base['lead_time_days_mean']:.1f}; no commission: {without['lead_time_days_mean']:.1f})")'''),
    md("""\
## Things to notice

Did the commission shorten the wait at the office, and in which years? Did it raise the number of sets
supplied by 1958? Which is the binding constraint, the channels or the Soviet agencies' review and copying?
The record gives the commission's form and its minimum of sessions; how many requests a session agreed, and
what share of requests went through it, are assumptions."""),
    TRIES_HERE,
    md(SOURCES),
    code('''\
cite("agreement_1954", "commission_size", "commission_min_sessions", "commission_first")'''),
    md("""\
**Source criticism.** The commission's size and its "at least two sessions a year" come from the joint
communiqué of 12 October 1954, a public statement of both governments (`history:commission_min_sessions`).
What can the communiqué prove?

- `"a"`: how the commission actually worked, including how many requests each session agreed;
- `"b"`: what the two governments agreed and chose to announce: the commission's form, its members and its
  minimum of sessions; whether it met as planned needs other sources, such as the protocol of its first
  session in the Russian economic archive (`history:commission_first`);
- `"c"`: nothing, since an official communiqué is propaganda."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="a communiqué is good evidence of what was agreed and announced, and weak evidence of practice. "
          "The archived protocol of the first session shows that a session did meet; how much each "
          "session agreed is in neither, so the model assumes it.",
      hint="a public statement of an agreement tells you what was agreed; what would you need to know "
           "how the commission worked?")'''),
    md("""\
## Extending the model

In the model a session agrees any request up to its capacity, key projects first. The sessions alternated
between Beijing and Moscow: how would you model the time the members' papers took to travel, or a session that
sends requests back for more detail? The commission's process is in `sim/processes/`; its parameters in
`sim/params.py` (`CommissionParams`)."""),
    *share('"baseline_1952"'),
]

TRIES = [
    Try(
        "Basic",
        "Edit the list `shares` in the loop below: how does the share of requests sent through the commission "
        "change the lead time and the office's wait? Is there a share at which both channels do well?",
        starter='''\
shares = [0.2, 0.4, 0.7]  # edit the list: shares of new requests sent through the commission (0 to 1)
rows = {}
for share_ in shares:
    r = run("baseline_1952", UNTIL, {"commission.share": share_})
    rows[share_] = {"lead time (days)": r.summary["lead_time_days_mean"],
                    "office wait (days)": r.summary["office_wait_days_mean"],
                    "commission wait (days)": r.summary["commission_wait_days_mean"]}
pd.DataFrame(rows).T.rename_axis("commission.share")''',
        solution='''\
rows = {}
for share_ in [0.0, 0.1, 0.2, 0.4, 0.5, 0.7, 0.9]:
    r = run("baseline_1952", UNTIL, {"commission.share": share_})
    rows[share_] = {"lead time (days)": r.summary["lead_time_days_mean"],
                    "office wait (days)": r.summary["office_wait_days_mean"],
                    "commission wait (days)": r.summary["commission_wait_days_mean"]}
table = pd.DataFrame(rows).T.rename_axis("commission.share")
ax = table["lead time (days)"].plot(marker="o", figsize=(7, 4),
                                    title="Mean lead time to 1958 against the commission's share")
ax.set_ylabel("Mean lead time (days)")
plt.show()
table.round(1)''',
    ),
    Try(
        "Basic",
        "In the dashboard (`python -m sim dashboard`), open *Compare*: A is the scenario of *Explore* "
        "(`baseline_1952`), choose `no_commission` as *Scenario B*, set *Run both until* to 1958-12-31 and "
        "run: compare the lead-time and queue panels. Then in *Explore* move *Share of requests sent through "
        "the commission* and switch on *Joint commission open from the start*.",
        solution='''\
from sim.compare import compare as compare_scenarios

both = compare_scenarios("baseline_1952", "no_commission", seed=SEED, until=UNTIL)
print(both.headline.loc[["lead_time_days_mean", "office_wait_days_mean", "sets_supplied_1953_1962_total"]])
# The switch opens the commission from the start; the baseline's event of 1954 then finds it open ("keep").
scenario = load_scenario("baseline_1952").with_overrides({"commission.open": True}, events="keep")
model = TechTransferModel(scenario, rng=SEED)
model.run_until(UNTIL)
early = model.results()
print(f"Commission open from 1952: lead time {early.summary['lead_time_days_mean']:.1f} days, "
      f"{early.summary['commission_requests']:,} requests through it")''',
    ),
    Try(
        "Basic",
        "Halve the office, `{\"office.staff\": 5}` (an override in `run`), with and without the commission "
        "(`no_commission`). When does the second channel matter most?",
        solution='''\
rows = {}
for name in ["baseline_1952", "no_commission"]:
    r = run(name, UNTIL, {"office.staff": 5})
    rows[name] = {"office wait (days)": r.summary["office_wait_days_mean"],
                  "longest office queue": r.summary["office_queue_max"],
                  "lead time (days)": r.summary["lead_time_days_mean"]}
pd.DataFrame(rows).round(1)''',
    ),
    Try(
        "Extension",
        "Write a scenario file in which the commission meets four times a year and agrees half as many requests "
        "a session (so that its capacity stays the same until May 1958, when the baseline's Great Leap raises "
        "every session to 2,500): the starter writes and runs it. Does the lead time "
        "come close to the no-commission world? What else could a scenario change to make the commission the "
        "faster channel?",
        starter='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "commission_quarterly.toml"
path.write_text("""\\
extends = "baseline_1952"
title = "A commission that meets four times a year"
question = "What if the joint commission had met every quarter, agreeing half as much each time?"

[commission]
sessions_per_year = 4
requests_per_session = 300
""", encoding="utf-8")
mine = run(path, UNTIL)
pd.DataFrame({"baseline_1952": runs["baseline_1952"].summary, path.stem: mine.summary}).loc[
    ["commission_wait_days_mean", "office_wait_days_mean", "lead_time_days_mean"]]''',
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
rows = {}
for sessions in [2, 4, 12]:
    path = folder / f"commission_{sessions}_a_year.toml"
    path.write_text(f"""\\
extends = "baseline_1952"
title = "A commission that meets {sessions} times a year"

[commission]
sessions_per_year = {sessions}
requests_per_session = {1200 // sessions}
""", encoding="utf-8")
    r = run(path, UNTIL)
    rows[sessions] = {"commission wait (days)": r.summary["commission_wait_days_mean"],
                      "lead time (days)": r.summary["lead_time_days_mean"]}
print(f"no commission: lead time {run('no_commission', UNTIL).summary['lead_time_days_mean']:.1f} days")
pd.DataFrame(rows).T.rename_axis("sessions a year").round(1)''',
    ),
]

SOLUTION_SETUP = '''\
UNTIL = "1958-12-31"
runs = {name: run(name, UNTIL) for name in ["baseline_1952", "no_commission"]}'''
