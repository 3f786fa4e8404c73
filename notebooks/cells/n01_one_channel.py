"""Notebook 01: the Counsellor's Office as a queue; staff, utilisation and waiting."""

from common import EXPLANATION, HOW_TO_USE, SETUP, SOURCES, TRIES_HERE, Try, code, md, share

NAME = "01_one_channel"

CELLS = [
    md("""\
# 01 One channel: the Counsellor's Office as a queue

## What is it?

Zhou Enlai's letter made the Commercial Counsellor's Office the single regular channel for requests
(`history:channel_1952`). Stalin had demanded that Chinese requests for equipment reach Soviet industry
well ahead of need (`history:lead_time_equipment`), and one Chinese request of April 1954 went back and
forth for months before it was refused (`history:lead_time_cc_letter`). Was the office the bottleneck?
Would more staff, or serving the key projects first, have made the material arrive sooner?

**Learning goals.**

1. see a channel as a queue: arrivals, servers (staff) and waiting;
2. relate utilisation (the share of staff time in use) to waiting, and see why the relation is not a
   straight line;
3. find where a request spends its time before choosing a remedy;
4. read an anecdote for what it can and cannot tell.

Time: about 25 minutes. **Basic**: sections 1-2 and the Basic things to try; **Extension**: a scenario file
with a small office and triage."""),
    md("""\
## How it works

Requests reach the office in Moscow about two weeks after a ministry makes them. Each of the office's staff
handles one request at a time, about 6 a week each (`office.requests_per_staff_week`); a request that finds
every staff member busy waits in the queue, first come first served, or key projects first under triage
(`office.discipline = "priority"`). The office then forwards it to the Soviet agency, whose review takes
weeks. The office's size and speed are not in the record: they are *assumptions* (`office.staff`, 24 in the
baseline, sized for the Great Leap of 1958; see `docs/ODD.md`). From its first session in December 1954 the
joint commission takes a share of the requests (notebook 02).

Scenarios: `baseline_1952`, `office_doubled`, `office_priority`. To keep the notebook fast the runs stop at
the end of 1956, in the First Five-Year Plan, while the office still carried most requests."""),
    md(HOW_TO_USE),
    code(SETUP),
    md("""\
## 1. Predict: twice the staff

`office_doubled` gives the office 48 staff instead of 24. **Predict** before you run: will the mean lead
time, from request to delivery in China, be `"shorter"`, `"about the same"` or `"longer"`?"""),
    code('''\
my_prediction = ...  # "shorter", "about the same" or "longer"
prediction = predict(my_prediction, options=["shorter", "about the same", "longer"])'''),
    code('''\
UNTIL = "1956-12-31"
names = ["baseline_1952", "office_doubled", "office_priority"]
runs = {name: run(name, UNTIL) for name in names}
for name in names:
    print(f"{name:16s} {load_scenario(name).title}")
figures = ["office_requests", "office_wait_days_mean", "office_utilisation_mean", "office_queue_max",
           "lead_time_days_mean", "requests_fulfilled"]
pd.DataFrame({name: {f: r.summary[f] for f in figures} for name, r in runs.items()})'''),
    code('''\
fig, ax = plt.subplots(figsize=(9, 4))
plot_runs(ax, runs, "office_utilisation", scale=100)
ax.set_title(f"Share of the office staff's time in use, 1952-1956 (seed {SEED}); no request ever queued")
ax.set_ylabel("Utilisation (%)")
date_axis(ax)
ax.legend(title="Scenario", fontsize=8)
plt.show()'''),
    md("""\
Two of the three lines lie on each other: under triage the office does the same work at the same times,
so its utilisation is the same as the baseline's, and the legend says so. **Compare:**"""),
    code('''\
base, doubled = runs["baseline_1952"].summary, runs["office_doubled"].summary
compare(prediction, direction(base["lead_time_days_mean"], doubled["lead_time_days_mean"],
                              words=["shorter", "about the same", "longer"]),
        detail=f"mean lead time {base['lead_time_days_mean']:.1f} days with 24 staff, "
               f"{doubled['lead_time_days_mean']:.1f} with 48")'''),
    md("""\
**Explain.** If more staff do not shorten the lead time, the time must go elsewhere. In which stage of its
path does a request sent through the office in 1952-1956 spend the most days: `"to the channel"`, `"at the channel"`, `"to the agency"`,
`"review"`, `"copying"`, `"shipping"` or `"translation"`? Answer, then run the cell below it to see the ledger's
figures."""),
    code('''\
answer = ...  # a stage's name in quotes, e.g. "shipping"
ledger = runs["baseline_1952"].ledger
days = stage_days(ledger[ledger["channel"] == "office"])
check(answer, days.idxmax(),
      why="the Soviet agency's review (queueing for a reviewer, reviewing and deliberating) takes about two "
          "months; at the office a request spends about a day, the handling itself, so more office staff "
          "cannot shorten the lead time. A remedy must act on the slowest stage.",
      hint="the office is busy only a small part of the time, so requests do not wait there; which stage "
           "of the path is on the Soviet side and takes weeks?")'''),
    code('''\
fig, ax = plt.subplots(figsize=(8, 3.5))
days.plot.barh(ax=ax, color=["C7" if stage != "at the channel" else "C3" for stage in days.index])
ax.invert_yaxis()
ax.set_title(f"Where a request through the office spends its time, 1952-1956 (baseline, seed {SEED})")
ax.set_xlabel("Mean days in the stage (delivered requests)")
plt.show()'''),
    code(EXPLANATION),
    md("""\
## 2. Predict: fewer staff

The office's size is an assumption, so try smaller ones. The loop below runs the baseline with each number
of staff in `staff_levels` and plots the mean wait at the office against staff. **Predict** first: as the
staff fall from 8 to 3, will the wait grow `"steadily"` (each person lost adds about the same wait) or
`"faster and faster"`?"""),
    code('''\
my_prediction_2 = ...  # "steadily" or "faster and faster"
prediction_2 = predict(my_prediction_2, options=["steadily", "faster and faster"])'''),
    code('''\
staff_levels = [3, 4, 5, 6, 8, 16]  # edit the list: which sizes of office to try
rows = {}
for staff in staff_levels:
    r = run("baseline_1952", UNTIL, {"office.staff": staff})
    rows[staff] = {"wait (days)": r.summary["office_wait_days_mean"],
                   "utilisation (%)": 100 * r.summary["office_utilisation_mean"],
                   "longest queue": r.summary["office_queue_max"],
                   "lead time (days)": r.summary["lead_time_days_mean"]}
by_staff = pd.DataFrame(rows).T.rename_axis("staff")

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(by_staff.index, by_staff["wait (days)"], marker="o")
ax.set_title(f"Mean wait at the office against its staff, 1952-1956 (seed {SEED})")
ax.set_xlabel("Staff at the Counsellor's Office (persons; an assumption, 24 in the baseline)")
ax.set_ylabel("Mean wait at the office (days)")
plt.show()
by_staff.round(2)'''),
    code('''\
w = by_staff["wait (days)"]
compare(prediction_2, "faster and faster" if w[3] - w[4] > 2 * (w[4] - w[5]) else "steadily",
        detail=f"from 5 to 4 staff the wait grows by {w[4] - w[5]:.1f} days, from 4 to 3 by {w[3] - w[4]:.1f}")'''),
    md("""\
**Explain.** Why does the wait shoot up when the office is small?

- `"a"`: a smaller office receives more requests;
- `"b"`: as the staff's time fills up (utilisation near 100 %), a request more and more often finds everyone
  busy, and then waits for every request queued before it;
- `"c"`: each staff member works more slowly in a small office."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="the requests and each person's speed are the same at every size; what changes is how full the "
          "staff's time is. Near 100 % utilisation queues build up and clear slowly, so the wait grows "
          "faster and faster: the non-linear heart of every queue.",
      hint="compare the columns of the table: which one nears 100 as the wait shoots up, and did the "
           "number of requests change with the staff?")'''),
    md("""\
## Things to notice

Was the office the bottleneck of the First Plan in the model? How busy were its staff, and how long did a
request wait there? Does triage change anything when there is hardly a queue? Only below about 5 staff does
the office's size matter at all, and the size is an assumption: what would you need to find in an archive to
know whether the real office was near that point?"""),
    TRIES_HERE,
    md(SOURCES),
    code('''\
cite("channel_1952", "lead_time_equipment", "lead_time_cc_letter")'''),
    md("""\
**Source criticism.** One Chinese request of April 1954 went back and forth for months and was then refused
(`history:lead_time_cc_letter`, an anecdote in a scholarly chapter). What can this case tell us about the
model's lead times?

- `"a"`: the mean lead time of all requests was months;
- `"b"`: that a lead time of months was possible, so a model in which some requests take months is
  plausible; it cannot give the mean or the spread;
- `"c"`: nothing, because it is only one case."""),
    code('''\
answer = ...  # "a", "b" or "c"
check(answer, "b",
      why="a single case shows what could happen, not how often: it bounds the plausible range (the model's "
          "Soviet review time cites it as a bound) but says nothing of the mean. One case is not nothing, "
          "either: a model in which no request could take months would contradict it.",
      hint="read the kind cite prints for lead_time_cc_letter: what does data/README.md say an anecdote may "
           "be used for?")'''),
    md("""\
## Extending the model

In the model every staff member is alike and works at a fixed mean speed. The record suggests the office also
negotiated with Soviet agencies, which the model leaves to the agencies' review. How would you add a second
kind of work for the staff (say, chasing refused requests), and which stages would it slow? The office is a
bank of stations in `sim/queueing.py`; its process is in `sim/processes/`."""),
    *share('"office_doubled"'),
]

TRIES = [
    Try(
        "Basic",
        "Add office sizes to `staff_levels` in section 2 (try 2, 10 and 12) "
        "and run the loop again. Then plot the wait against the *utilisation* instead of the staff: is that "
        "curve smoother? At what utilisation does the wait pass a day?",
        solution='''\
rows = {}
for staff in [2, 3, 4, 5, 6, 8, 12, 16]:
    r = run("baseline_1952", UNTIL, {"office.staff": staff})
    rows[staff] = {"wait (days)": r.summary["office_wait_days_mean"],
                   "utilisation (%)": 100 * r.summary["office_utilisation_mean"]}
by_staff = pd.DataFrame(rows).T.rename_axis("staff")
fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(by_staff["utilisation (%)"], by_staff["wait (days)"], marker="o")
for staff, row in by_staff.iterrows():
    ax.annotate(f"{staff} staff", (row["utilisation (%)"], row["wait (days)"]), fontsize=8)
ax.set_yscale("symlog", linthresh=0.1)
ax.set_title("Mean wait at the office against its utilisation, 1952-1956")
ax.set_xlabel("Utilisation (%)")
ax.set_ylabel("Mean wait (days, log scale above 0.1)")
plt.show()
by_staff.round(2)''',
    ),
    Try(
        "Basic",
        "In the dashboard (`python -m sim dashboard`), under *Key parameters* set *Staff at the Counsellor's "
        "Office* to 4, then 3, set *Play until* to 1957-01-01 and press *Play*; watch the *Requests waiting at "
        "the channels* panel. Then switch *Order of the Office's queue* to `priority` and play again.",
        solution='''\
fig, ax = plt.subplots(figsize=(9, 4))
for label, overrides in {"4 staff": {"office.staff": 4}, "3 staff": {"office.staff": 3},
                         "3 staff, key projects first": {"office.staff": 3, "office.discipline": "priority"}}.items():
    r = run("baseline_1952", UNTIL, overrides)
    ax.plot(r.timeseries.index, r.timeseries["office_queue"], label=label)
ax.set_title("Requests waiting at the office with a small office, 1952-1956")
ax.set_ylabel("Requests in queue")
date_axis(ax)
ax.legend()
plt.show()''',
    ),
    Try(
        "Basic",
        "Edit the list of names in the loop below to run the three scenarios to the spring of 1958, when "
        "demand rose steeply. Does a queue form now, and does triage help the key projects?",
        starter='''\
spring = {}
for name in ["baseline_1952", "office_priority"]:  # edit: add "office_doubled"
    spring[name] = run(name, "1958-06-30")
pd.DataFrame({name: {"longest queue": r.summary["office_queue_max"],
                     "mean wait (days)": r.summary["office_wait_days_mean"],
                     "utilisation (%)": 100 * r.summary["office_utilisation_mean"]}
              for name, r in spring.items()})''',
        solution='''\
def office_wait(r):
    """Days from arrival at the office to forwarding, by priority."""
    led = r.ledger[r.ledger["channel"] == "office"].dropna(subset=["queued", "forwarded"])
    wait = (led["forwarded"] - led["queued"]).dt.total_seconds() / 86400
    return wait.groupby(led["priority"]).mean()

spring = {name: run(name, "1958-06-30") for name in ["baseline_1952", "office_doubled", "office_priority"]}
busiest = {name: 100 * r.timeseries["office_utilisation"].max() for name, r in spring.items()}
print("busiest week (% of staff time):", {name: round(v) for name, v in busiest.items()})
pd.DataFrame({name: office_wait(r) for name, r in spring.items()}).rename_axis("key-project request")''',
    ),
    Try(
        "Extension",
        "Write a scenario file for a small office with triage, run it to the end of 1957 and compare the days "
        "key-project requests and the others spend at the office. The starter writes and runs the file; "
        "then write `discipline = \"fifo\"` (first come first served) and run it again. Who pays for triage? "
        "(Runs into 1958 need care: requests still queued at the end are not in the means, and in the surge "
        "most office requests are key-project requests.)",
        starter='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
path = folder / "small_office_triage.toml"
path.write_text("""\\
extends = "baseline_1952"
title = "A small office that serves key projects first"
question = "With 3 staff, would triage have spared the key projects the wait?"

[office]
staff = 3
discipline = "priority"
""", encoding="utf-8")
mine = run(path, "1957-12-31")
led = mine.ledger[mine.ledger["channel"] == "office"].dropna(subset=["queued", "forwarded"])
((led["forwarded"] - led["queued"]).dt.total_seconds() / 86400).groupby(led["priority"]).mean()''',
        solution='''\
from pathlib import Path

folder = Path("my_scenarios")
folder.mkdir(exist_ok=True)
waits = {}
for discipline in ["fifo", "priority"]:
    path = folder / f"small_office_{discipline}.toml"
    path.write_text(f"""\\
extends = "baseline_1952"
title = "A small office, {discipline}"

[office]
staff = 3
discipline = "{discipline}"
""", encoding="utf-8")
    mine = run(path, "1957-12-31")
    led = mine.ledger[mine.ledger["channel"] == "office"].dropna(subset=["queued", "forwarded"])
    waits[discipline] = ((led["forwarded"] - led["queued"]).dt.total_seconds() / 86400).groupby(led["priority"]).mean()
pd.DataFrame(waits).rename_axis("key-project request").round(1)''',
    ),
]

SOLUTION_SETUP = '''\
UNTIL = "1956-12-31"'''
