"""The class board's pages: a group joins, builds a what-if, predicts and hands it in; the teacher compares.

Served by ``python -m sim class`` (:mod:`sim.classroom.server`). ``/`` is the
groups' page: the join code and a group name, then the dashboard's own controls
(:func:`sim.dashboard.app.Parameters`: the teaching controls, then every parameter)
to build a what-if from a library scenario or an uploaded file, a prediction and a
one-line explanation, and **Run and hand in**: the server checks the file, runs it
and draws it on the board. The prediction is written before the group sees the run,
so the board can set what each group expected beside what happened. A group sees
its own submissions and those the teacher revealed.

``/teacher`` is the teacher's page, behind the token printed at start: every
submission, with **Reveal**/**Hide**, **Pin**, **Compare** and **Delete** on each
row, **Reveal all**/**Hide all**, and a projector view that shows only what the
class may see.

The pages learn of new submissions as the dashboard's Play learns of new frames:
the browser asks (:func:`Poll`, ``poll.vue``), and the server answers each request
in turn; no thread sets a page's state. The server reads the store's version and,
only if it moved, the submissions the page may show, and only if those changed is
the page drawn again. Unlike Play's clock, the browser asks on a steady timer
(every :data:`POLL_MS` ms) rather than after each answer, and an answer that
changes nothing changes no state: every drawing of a page here puts each text box
back to the value the server holds (seen: a redraw every half second emptied a
prediction being typed), so the board's own text boxes send every keystroke
(``continuous_update``) and the page is drawn only when the board changed. An
unanswered request costs the server one read of an integer. Every action catches
its errors and shows them as one line.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import solara

from sim.classroom.access import Refused
from sim.classroom.board import Board, Teacher, current, owner_key
from sim.classroom.digest import SERIES
from sim.classroom.figures import NOTES, lines, panel_png
from sim.classroom.store import Submission
from sim.classroom.table import COLUMNS, COLUMNS_BY_KEY, ordered, record, value
from sim.dashboard.app import Parameters, build_scenario, parse_seed, shown
from sim.dashboard.controls import Control, apply_change, controls
from sim.dashboard.files import MAX_UPLOAD, read_uploaded, scenario_toml
from sim.dashboard.widgets import ScenarioUpload
from sim.errors import InputError, ScenarioError
from sim.scenario import Scenario, library, load_scenario

#: How often (ms) a page asks whether the board changed.
POLL_MS = 500
CSS = """
.zl-class { font-size: 15px; max-width: 100vw; overflow-x: hidden; }
.zl-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 16px; padding: 6px 12px;
  background: #2c3e50; color: #fff; }
.zl-bar .zl-brand { font-size: 1.15em; font-weight: 600; }
.zl-code { font-size: 1.6em; font-weight: 700; letter-spacing: 0.12em; }
.zl-columns { display: grid; grid-template-columns: minmax(260px, 26vw) minmax(0, 1fr); gap: 8px; padding: 8px; }
.zl-panels { display: flex; flex-wrap: wrap; gap: 6px; }
.zl-panel { flex: 1 1 300px; max-width: 560px; }
.zl-panel > div { height: auto !important; }
.zl-panel img { display: block; width: 100%; height: auto; }
.zl-table-wrap { overflow-x: auto; max-width: 100%; }
.zl-note { font-size: 0.8em; color: #555; }
.zl-table { border-collapse: collapse; width: 100%; }
.zl-table td, .zl-table th { padding: 2px 6px; font-size: 0.9em; vertical-align: top; text-align: left;
  border-bottom: 1px solid #e0e0e0; }
.zl-table th { max-width: 150px; }
.zl-head { cursor: pointer; user-select: none; }
.zl-head:hover { background: #eef; }
.zl-actions { display: grid; grid-template-columns: auto auto; gap: 2px; min-width: 190px; }
.zl-actions .v-btn { min-width: 0 !important; padding: 0 6px !important; text-transform: none; letter-spacing: 0; }
.zl-pinned { background: #fff8e1; }
.zl-record td { font-style: italic; border-top: 2px solid #888; }
.zl-mine { font-weight: 600; }
.zl-error { white-space: pre-line; }
.zl-hidden-note { color: #a04000; font-size: 0.85em; }
.zl-done { color: #2e7d32; }
.zl-failed { color: #b71c1c; }
"""


def guarded(action: Callable[[], Any], failed: solara.Reactive[str]) -> Callable[[], None]:
    """``action`` for a button: its error, if any, shown as one line in ``failed``, never a traceback."""

    def run() -> None:
        try:
            action()
        except ScenarioError as exc:
            failed.set("\n".join(exc.problems))
        except InputError as exc:
            failed.set(str(exc))
        except Exception as exc:  # a bug: the page says so in one line and goes on
            failed.set(f"that did not work ({type(exc).__name__}: {exc}); try again")
        else:
            failed.set("")

    return run


def query(router: Any, key: str) -> str:
    """A value of the page address's query string (``""`` if absent)."""
    values = urllib.parse.parse_qs(router.search or "").get(key, [""])
    return values[0]


@solara.component_vue(str(Path(__file__).with_name("poll.vue")))
def Poll(interval: int, event_tick: Callable[[int], None] | None = None) -> None:
    """Call ``event_tick`` every ``interval`` ms: the browser pulls, the server answers each call in turn."""


Queue = dict[int, int]


def use_board(board: Board, viewer: Teacher | str) -> tuple[list[Submission], Queue]:
    """The submissions ``viewer`` may see, and where those waiting stand in the queue (0: running).

    Read again whenever the store's version moves; the page is drawn again only if these changed,
    so a group's page is not drawn for another group's submission it may not see (measured: thirty
    submissions within ten seconds, each drawing ten such pages again, held the server up long
    enough for the teacher's page to lose its connection).
    """

    def now() -> tuple[int, list[Submission], Queue]:
        version = board.store.version()  # first: a change while reading shows at the next tick
        visible = board.visible(viewer)
        waiting = board.store.queued()
        shown = {s.id for s in visible}
        return version, visible, {n: place for place, n in enumerate(waiting) if n in shown}

    first = solara.use_memo(now, [])
    seen = solara.use_ref(first[0])
    state = solara.use_reactive(first[1:], equals=lambda a, b: a == b)

    def read() -> None:
        if board.store.version() != seen.current:
            seen.current, submissions, queued = now()
            state.set((submissions, queued))

    Poll(interval=POLL_MS, event_tick=lambda _: read())
    return state.value


# -- the board: figures and table ---------------------------------------------------------


@solara.component
def Figures(submissions: list[Submission]) -> None:
    """The three panels, every submission on shared axes with the record, and what the record says of each."""
    with solara.Div(classes=["zl-panels"]):
        for series in SERIES:
            with solara.Div(classes=["zl-panel", f"zl-panel-{series.key}"]):
                solara.Image(panel_png(series.key, lines(submissions, series.key)), format="png")
                solara.Text(NOTES[series.key], classes=["zl-note"])


def status_text(submission: Submission, queued: Queue) -> str:
    """``done``, ``failed: why``, ``running`` or ``queued (N ahead)``."""
    if submission.status == "queued" and submission.id in queued:
        ahead = queued[submission.id]
        return f"queued ({ahead} ahead)" if ahead else "running"
    return str(value(submission, "status"))


def Cell(content: str, key: str, title: str = "", classes: list[str] | None = None) -> Any:
    """One cell of the board's table: an element, not a component (a table of thirty rows has 400 of them)."""
    return solara.v.Html(
        tag="td", children=[content], class_=" ".join([f"zl-cell-{key}", *(classes or [])]), attributes={"title": title}
    )


@solara.component
def Heading(text: str, key: str, on_click: Callable[[str], None]) -> None:
    """A column's heading; a click sorts by the column."""
    heading = solara.v.Html(
        tag="th", children=[text], class_=f"zl-head zl-head-{key}", attributes={"title": "sort by this column"}
    )
    solara.v.use_event(heading, "click", lambda *_: on_click(key))


@solara.component
def Table(
    submissions: list[Submission],
    queued: Queue,
    owner: str = "",
    actions: Callable[[Submission], None] | None = None,
) -> None:
    """The headline figures of every submission shown, with labels and units; a click on a heading sorts by it.

    Pinned submissions stay at the top. The record's row, at the bottom, cites its rows.
    ``actions`` draws the teacher's buttons of a row.
    """
    by = solara.use_reactive("id")
    descending = solara.use_reactive(False)

    def sort(key: str) -> None:
        descending.set(not descending.value if by.value == key else COLUMNS_BY_KEY[key].numeric)
        by.set(key)

    with solara.Div(classes=["zl-table-wrap"]), solara.v.Html(tag="table", class_="zl-table"):
        with solara.v.Html(tag="thead"), solara.v.Html(tag="tr"):
            if actions is not None:
                solara.v.Html(tag="th", children=["Teacher"])
            for column in COLUMNS:
                arrow = (" ▼" if descending.value else " ▲") if by.value == column.key else ""
                Heading(column.heading + arrow, column.key, sort)
        with solara.v.Html(tag="tbody"):
            for submission in ordered(submissions, by.value, descending.value):
                row_classes = [f"zl-row zl-row-{submission.id}"] + (["zl-pinned"] if submission.pinned else [])
                with solara.v.Html(tag="tr", class_=" ".join(row_classes)).key(f"row-{submission.id}"):
                    if actions is not None:
                        with solara.v.Html(tag="td"), solara.Div(classes=["zl-actions"]):
                            actions(submission)
                    for column in COLUMNS:
                        Cell(*_cell(submission, column.key, queued, owner))
            recorded = record()
            with solara.v.Html(tag="tr", class_="zl-record"):
                if actions is not None:
                    Cell("", "actions")
                Cell("Record", "id")
                Cell("data/history_targets.csv", "group")
                for column in COLUMNS[2:]:
                    found = recorded.get(column.key)
                    Cell("" if found is None else shown(found[0]), column.key, "" if found is None else found[1])


def _cell(submission: Submission, key: str, queued: Queue, owner: str) -> tuple[str, str, str, list[str]]:
    """A cell's text, its key, its title (the full text on hover) and its classes."""
    if key == "status":
        text = status_text(submission, queued)
        return text, key, submission.message, [f"zl-{submission.status}"]
    if key == "group":
        mine = bool(owner) and submission.owner == owner
        note = "" if submission.revealed else " (hidden)"
        return f"{submission.group}{' (yours)' if mine else ''}{note}", key, "", ["zl-mine"] if mine else []
    shown_value = value(submission, key)
    text = shown(shown_value) if COLUMNS_BY_KEY[key].numeric else str(shown_value)
    return (text if len(text) <= 90 else text[:88] + "…"), key, str(shown_value), []


@solara.component
def Compare(chosen: list[Submission]) -> None:
    """Two or more submissions side by side: what each changes, predicted and gave; with two, the difference."""
    solara.Markdown(f"**Comparing** {', '.join(f'#{s.id} {s.group}' for s in chosen)}")
    Figures(chosen)
    with solara.Div(classes=["zl-table-wrap"]), solara.v.Html(tag="table", class_="zl-table zl-comparison"):
        with solara.v.Html(tag="thead"), solara.v.Html(tag="tr"):
            solara.v.Html(tag="th", children=[""])
            for s in chosen:
                solara.v.Html(tag="th", children=[f"#{s.id} {s.group}"])
            if len(chosen) == 2:
                solara.v.Html(tag="th", children=[f"#{chosen[1].id} − #{chosen[0].id}"])
        with solara.v.Html(tag="tbody"):
            for column in COLUMNS[2:]:
                with solara.v.Html(tag="tr", class_=f"zl-compare-{column.key}"):
                    solara.v.Html(tag="th", children=[column.heading])
                    values = [value(s, column.key) for s in chosen]
                    for found in values:
                        Cell(shown(found) if column.numeric else str(found), column.key)
                    if len(chosen) == 2:
                        a, b = values
                        both = column.numeric and a is not None and b is not None
                        Cell(shown(b - a) if both else "", column.key)


# -- the groups' page ---------------------------------------------------------------------


@solara.component
def Join(board: Board, owner: str, on_joined: Callable[[str], None]) -> None:
    """The join code and the group's name (the code may come in the address: ``/?code=ABC123``)."""
    code = solara.use_reactive(query(solara.use_router(), "code"))
    group = solara.use_reactive("")
    failed = solara.use_reactive("")

    def join() -> None:
        on_joined(board.join(code.value, group.value, who=f"session:{owner}", owner=owner))

    with solara.Card("Join the class", style={"max-width": "480px", "margin": "24px auto"}):
        solara.Markdown("Type the join code your teacher shows, and your group's name.")
        solara.InputText("Join code", value=code)
        solara.InputText("Group name", value=group)
        solara.Button("Join", color="primary", on_click=guarded(join, failed), classes=["zl-join"])
        if failed.value:
            solara.Error(failed.value, classes=["zl-error"])


@solara.component
def Workbench(board: Board, owner: str, group: str) -> None:
    """Build a what-if with the dashboard's controls, write a prediction, run it and hand it in."""
    name = solara.use_reactive("baseline_1952")
    uploaded: solara.Reactive[Scenario | None] = solara.use_reactive(None)
    changes: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    errors: solara.Reactive[dict[str, Any]] = solara.use_reactive({})
    seed_text = solara.use_reactive("")
    failed = solara.use_reactive("")

    base = solara.use_memo(
        lambda: uploaded.value if uploaded.value is not None else load_scenario(name.value),
        [name.value, uploaded.value],
    )
    scenario = solara.use_memo(
        lambda: build_scenario(name.value, changes.value, uploaded.value), [name.value, changes.value, uploaded.value]
    )
    seed = parse_seed(seed_text.value) if seed_text.value.strip() else base.seed

    def start_over(new_name: str, new_upload: Scenario | None) -> None:
        name.set(new_name)
        uploaded.set(new_upload)
        changes.set({})
        errors.set({})
        seed_text.set("")

    def upload(file: Any) -> None:
        try:
            fresh = read_uploaded(str(file["name"]), str(file["text"]).encode("utf-8"), int(file["size"]))
        except ScenarioError as exc:
            failed.set("\n".join(exc.problems))
            return
        failed.set("")
        start_over(fresh.name, fresh)

    def change(control: Control, raw: Any) -> None:
        try:
            changed = apply_change(scenario, control, raw)
        except ScenarioError as exc:
            message = "; ".join(exc.problems) + f". The what-if keeps {shown(control.value_in(scenario))}."
            errors.set({**errors.value, control.path: message, control.path + ":raw": raw})
            return
        errors.set({k: v for k, v in errors.value.items() if k not in {control.path, control.path + ":raw"}})
        by_path = {c.path: c for c in controls()}
        new = {**changes.value, control.path: control.value_in(changed)}
        changes.set({k: v for k, v in new.items() if v != by_path[k].value_in(base)})

    on_change = solara.use_memo(lambda: change, [scenario, base, errors.value, changes.value])

    def file_text() -> str:
        if seed is None:
            raise InputError(f"seed {seed_text.value!r}: give a whole number, or leave it empty for the scenario's")
        return scenario_toml(
            scenario.with_overrides({"seed": seed}, origin="board"),
            f"Group {group}'s what-if on the Ziliao class board.\nRun it with: python -m sim run THIS_FILE --out DIR",
        )

    with solara.Div(classes=["zl-side"]):
        with solara.Card("1. Your what-if", margin=0):
            solara.Select(
                label="Start from", value=name.value, values=list(library()), on_value=lambda n: start_over(n, None)
            )
            solara.Text(scenario.question, style={"font-size": "0.85em"})
            solara.InputText(f"Seed (empty: the scenario's, {base.seed})", value=seed_text, continuous_update=True)
            ScenarioUpload(label="Or load a scenario file (.toml)", max_bytes=MAX_UPLOAD, event_upload=upload)
            if failed.value:
                solara.Error(failed.value, classes=["zl-error", "zl-upload-error"])
        Predict(board, owner, file_text)
        Parameters(scenario, base, errors.value, on_change)


@solara.component
def Predict(board: Board, owner: str, file_text: Callable[[], str]) -> None:
    """The prediction and the explanation, written before the run, and **Run and hand in**.

    A component of its own: a keystroke here (each is sent, see the module's note) draws only this card.
    """
    prediction = solara.use_reactive("")
    explanation = solara.use_reactive("")
    failed = solara.use_reactive("")
    handed_in = solara.use_reactive("")

    def hand_in() -> None:
        number = board.hand_in(owner, prediction.value, explanation.value, file_text())
        handed_in.set(f"Handed in as number {number}: the board runs it and draws it in a moment.")

    with solara.Card("2. Predict, then run", margin=0):
        solara.InputText("Our prediction", value=prediction, continuous_update=True, classes=["zl-prediction"])
        solara.InputText("Because… (one line)", value=explanation, continuous_update=True, classes=["zl-explanation"])
        solara.Button("Run and hand in", color="primary", on_click=guarded(hand_in, failed), classes=["zl-hand-in"])
        if failed.value:
            solara.Error(failed.value, classes=["zl-error"])
        elif handed_in.value:
            solara.Success(handed_in.value, classes=["zl-handed-in"])


@solara.component
def GroupBoard(board: Board, owner: str) -> None:
    """What a group sees: its own submissions and the revealed ones."""
    submissions, queued = use_board(board, owner)
    mine_hidden = [s for s in submissions if s.owner == owner and not s.revealed]
    solara.Markdown("### The board")
    with solara.Div():  # one child whatever it holds, so that the table below keeps its sorting
        if mine_hidden:
            solara.Text(
                f"Only you and your teacher see your {len(mine_hidden)} hidden what-if(s) until your teacher "
                "reveals them.",
                classes=["zl-hidden-note"],
            )
    Figures(submissions)
    Table(submissions, queued, owner=owner)


@solara.component
def GroupPage(board: Board) -> None:
    """``/``: join, then build, predict and hand in beside the board."""
    owner = owner_key(solara.get_session_id())
    group = solara.use_reactive(solara.use_memo(lambda: board.member(owner), []))
    with solara.Div(classes=["zl-bar"]):
        solara.Text("Ziliao class board", classes=["zl-brand"])
        if group.value:
            solara.Text(f"Group: {group.value}", classes=["zl-group-name"])
    if group.value is None:
        Join(board, owner, group.set)
        return
    with solara.Div(classes=["zl-columns"]):
        Workbench(board, owner, group.value)
        with solara.Div():
            GroupBoard(board, owner)


# -- the teacher's page -------------------------------------------------------------------


@solara.component
def TokenForm(board: Board, who: str, on_teacher: Callable[[Teacher], None]) -> None:
    """The teacher's token (it comes in the address printed at start: ``/teacher?token=...``)."""
    token = solara.use_reactive("")
    failed = solara.use_reactive("")
    with solara.Card("Teacher", style={"max-width": "480px", "margin": "24px auto"}):
        solara.Markdown("Open the teacher's address printed when the board started, or paste its token here.")
        solara.InputText("Teacher's token", value=token, password=True)
        solara.Button(
            "Open the teacher's board",
            color="primary",
            on_click=guarded(lambda: on_teacher(board.teacher(token.value, who=who)), failed),
            classes=["zl-token"],
        )
        if failed.value:
            solara.Error(failed.value, classes=["zl-error"])


@solara.component
def TeacherBoard(board: Board, teacher: Teacher) -> None:
    """Every submission, with the teacher's actions; a projector view; the comparison of chosen ones."""
    submissions, queued = use_board(board, teacher)
    projector = solara.use_reactive(False)
    chosen: solara.Reactive[tuple[int, ...]] = solara.use_reactive(())
    deleting = solara.use_reactive(0)
    failed = solara.use_reactive("")
    shown_here = [s for s in submissions if s.revealed] if projector.value else submissions

    def toggle(submission_id: int) -> None:
        ids = chosen.value
        chosen.set(tuple(i for i in ids if i != submission_id) if submission_id in ids else (*ids, submission_id))

    def delete(submission_id: int) -> None:
        if deleting.value != submission_id:
            deleting.set(submission_id)  # a second click confirms
            return
        board.delete(teacher, submission_id)
        deleting.set(0)
        chosen.set(tuple(i for i in chosen.value if i != submission_id))

    def actions(s: Submission) -> None:
        comparing = s.id in chosen.value
        confirming = deleting.value == s.id
        for label, action, name in (
            ("Hide" if s.revealed else "Reveal", lambda: board.reveal(teacher, s.id, not s.revealed), "reveal"),
            ("Unpin" if s.pinned else "Pin", lambda: board.pin(teacher, s.id, not s.pinned), "pin"),
            ("Comparing" if comparing else "Compare", lambda: toggle(s.id), "compare"),
            ("Confirm delete" if confirming else "Delete", lambda: delete(s.id), "delete"),
        ):
            solara.Button(
                label,
                small=True,
                outlined=not (comparing and name == "compare"),
                color="error" if confirming and name == "delete" else "primary",
                on_click=guarded(action, failed),
                classes=[f"zl-{name}"],
            )

    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center", "padding": "0 8px"}):
        solara.Button("Reveal all", on_click=guarded(lambda: board.reveal_all(teacher, True), failed), outlined=True)
        solara.Button("Hide all", on_click=guarded(lambda: board.reveal_all(teacher, False), failed), outlined=True)
        solara.Switch(label="Projector view: only what the class may see", value=projector)
        done = sum(s.status == "done" for s in submissions)
        solara.Text(f"{len(submissions)} submitted, {done} run, {len(queued)} waiting", classes=["zl-counts"])
    with solara.Div():
        if failed.value:
            solara.Error(failed.value, classes=["zl-error"])
    picked = [s for s in submissions if s.id in chosen.value]
    with solara.Div():  # one child whatever it holds, so that the table below keeps its sorting
        if len(picked) >= 2:
            Compare(picked)
            solara.Button("Stop comparing", on_click=lambda: chosen.set(()), outlined=True)
        else:
            Figures(shown_here)
    Table(shown_here, queued, actions=None if projector.value else actions)


@solara.component
def TeacherPage(board: Board) -> None:
    """``/teacher``: the token, then the whole board."""
    router = solara.use_router()
    who = f"session:{owner_key(solara.get_session_id())}"
    teacher: solara.Reactive[Teacher | None] = solara.use_reactive(
        solara.use_memo(lambda: board.teacher_again(who), [])
    )
    failed = solara.use_reactive("")
    tried = solara.use_ref("")

    def from_address() -> None:
        """The token in the printed address: checked once, then dropped from the address bar."""
        token = query(router, "token")
        if not token:
            return
        if teacher.value is None and tried.current != token:
            tried.current = token
            try:
                teacher.set(board.teacher(token, who=who))
            except Refused as exc:
                failed.set(str(exc))
        router.push("/teacher")  # again if the page's navigator, starting, put the address back

    solara.use_effect(from_address, [router.search])
    with solara.Div(classes=["zl-bar"]):
        solara.Text("Ziliao class board: teacher", classes=["zl-brand"])
        solara.Text(f"{board.address}/", classes=["zl-address"])
        solara.Text("join code", style={"margin-left": "12px"})
        solara.Text(board.code, classes=["zl-code"])
    if teacher.value is None:
        if failed.value:
            solara.Error(failed.value, classes=["zl-error"])
        TokenForm(board, who, teacher.set)
        return
    TeacherBoard(board, teacher.value)


@solara.component
def Layout(children: list[Any] | None = None) -> None:
    """Every page's frame: the title, the style, and the page (no navigation: a group has no business elsewhere)."""
    solara.Title("Ziliao class board")
    solara.Style(CSS)
    failure, clear = solara.use_exception()
    if failure is not None:  # one line, never a traceback page
        with solara.Div(classes=["zl-class"]):
            solara.Error(f"the board could not draw this page ({type(failure).__name__}: {failure})")
            solara.Button("Try again", on_click=clear)
        return
    solara.Div(classes=["zl-class"], children=children or [])


@solara.component
def Groups() -> None:
    """``/``: the groups' page."""
    GroupPage(current())


@solara.component
def Teachers() -> None:
    """``/teacher``: the teacher's page."""
    TeacherPage(current())


#: Solara's routes: ``/`` for the groups, ``/teacher`` for the teacher (any other address is not found).
routes = [
    solara.Route(path="/", component=Groups, layout=Layout),  # the "/" route's layout frames every page
    solara.Route(path="teacher", component=Teachers),
]
