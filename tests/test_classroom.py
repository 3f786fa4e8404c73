"""The class board without a browser: its store, checks, access, digest, table, runner, export and command line."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hang import HANG_S

from sim.classroom import store as store_module
from sim.classroom.access import MAX_WRONG, TOO_MANY, WRONG_CODE, WRONG_TOKEN, Attempts, Refused
from sim.classroom.board import Board, Teacher, owner_key
from sim.classroom.digest import SERIES, TABLE, YEARS, digest
from sim.classroom.export import export, file_name
from sim.classroom.runner import Runner, digest_of
from sim.classroom.store import CODE_ALPHABET, BusyError, ClassStore, serving
from sim.classroom.submission import MAX_GROUP, check_submission
from sim.classroom.table import COLUMNS, ordered, record
from sim.dashboard.files import scenario_toml
from sim.errors import ScenarioError, StoreError, TooLargeError
from sim.model import TechTransferModel
from sim.outputs import FIGURES_BY_NAME
from sim.scenario import library, load_scenario

ROOT = Path(__file__).parent.parent
#: A what-if as a student writes one: a library scenario and one change.
HALF_STAFF = 'extends = "baseline_1952"\ntitle = "Half the office"\n\n[office]\nstaff = 12\n'
#: Bad scenario files, as a student might send them, that the command line refuses too.
BAD_FILES = (
    "[office]\nstaff = -3\nstaf = 2\n",
    "[office\n",
    'extends = "baseline_1952"\nseed = "seven"\n',
    'extends = "baseline_1952"\n[[events]]\nid = "x"\ndate = 1970-01-01\nlabel = "late"\nsource = "assumption"\n'
    'set = { "office.staff" = 3 }\n',
)
#: Files the command line runs but a board refuses: it reads no file a student names, and a class shares it.
BOARD_ONLY = (
    ('extends = "/etc/passwd"\n', "submission.toml: extends: '/etc/passwd' is not a scenario of the library"),
    ('extends = "../scenarios/baseline_1952.toml"\n', "submission.toml: extends: '../scenarios/baseline_1952.toml' is"),
    (
        'extends = "baseline_1952"\n[sectors.heavy_industry]\nenterprises = 1000000\n',
        "submission.toml: sectors.*.enterprises",
    ),
)


def add(store: ClassStore, group: str = "Red", owner: str = "", text: str = HALF_STAFF) -> int:
    return check_submission(group, "fewer sets", "a smaller office", text).add_to(store, owner=owner)


# -- the store ----------------------------------------------------------------------------


def test_the_code_the_token_and_every_submission_outlive_the_store_object(tmp_path):
    first = ClassStore(tmp_path)
    code, token = first.code, first.token
    assert len(code) == 6 and set(code) <= set(CODE_ALPHABET) and len(token) >= 20
    ids = [add(first, group) for group in ("Red", "Blue", "Green")]
    first.reveal(ids[0])
    first.pin(ids[1])
    first.finish(ids[2], {"years": [1953], "summary": {}})
    again = ClassStore(tmp_path)
    assert (again.code, again.token) == (code, token)
    assert again.submissions(teacher=True) == first.submissions(teacher=True)
    kept = {s.id: s for s in again.submissions(teacher=True)}
    assert kept[ids[0]].revealed and kept[ids[1]].pinned and kept[ids[2]].status == "done"
    assert again.queued() == ids[:2]


def test_the_version_rises_with_every_change_and_only_then(tmp_path):
    store = ClassStore(tmp_path)
    before = store.version()
    number = add(store)
    seen = [store.version()]
    assert seen[0] > before
    for change in (
        lambda: store.reveal(number),
        lambda: store.pin(number),
        lambda: store.finish(number, {}),
        lambda: store.reveal_all(False),
        lambda: store.join("owner", "Red"),
        lambda: store.delete(number),
    ):
        store.submissions(teacher=True)  # reading changes nothing
        assert store.version() == seen[-1]
        change()
        seen.append(store.version())
    assert seen == sorted(set(seen)) and len(seen) == 7


def test_a_group_sees_its_own_and_the_revealed_the_teacher_sees_all(tmp_path):
    store = ClassStore(tmp_path)
    red, blue = owner_key("session-red"), owner_key("session-blue")
    mine = add(store, "Red", red)
    theirs = add(store, "Blue", blue)
    notebook = add(store, "Red", "")  # from a notebook: no browser session owns it
    assert [s.id for s in store.submissions(owner=red)] == [mine]
    assert [s.id for s in store.submissions(owner=blue)] == [theirs]
    assert store.submissions(owner="") == store.submissions() == []  # no owner sees the notebook's, unrevealed
    store.reveal(theirs)
    assert [s.id for s in store.submissions(owner=red)] == [mine, theirs]
    assert [s.id for s in store.submissions(teacher=True)] == [mine, theirs, notebook]
    store.pin(notebook)
    store.reveal(notebook)
    assert [s.id for s in store.submissions(owner=blue)] == [notebook, theirs]  # pinned first


def test_limits_hold_when_thirty_groups_write_at_once(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "CLASS_SUBMISSIONS", 25)
    monkeypatch.setattr(store_module, "CLASS_QUEUE", 1000)
    store = ClassStore(tmp_path)
    refused, stored = [], []

    def one(n: int) -> None:
        try:
            stored.append(store.add(f"group {n}", "p", "e", HALF_STAFF, title="t", seed=1))
        except TooLargeError as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_S)
    assert len(stored) == 25 == len(set(stored)) and len(refused) == 5
    assert all("the most one board keeps (25)" in line for line in refused)


@pytest.mark.parametrize(
    ("limit", "value", "expected"),
    [("GROUP_SUBMISSIONS", 2, "group 'red' has sent 2 what-ifs"), ("CLASS_QUEUE", 2, "2 runs are waiting")],
)
def test_a_group_and_the_queue_have_limits(tmp_path, monkeypatch, limit, value, expected):
    monkeypatch.setattr(store_module, limit, value)
    store = ClassStore(tmp_path)
    store.add("Red", "p", "e", HALF_STAFF, title="t", seed=1)
    store.add("Red" if limit == "GROUP_SUBMISSIONS" else "Blue", "p", "e", HALF_STAFF, title="t", seed=1)
    with pytest.raises(TooLargeError, match=expected):
        store.add("red", "p", "e", HALF_STAFF, title="t", seed=1)  # a name in another case is the same group


def test_a_folder_that_cannot_hold_a_store_is_refused_in_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a folder"):
        ClassStore(tmp_path / "file")
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "class.sqlite3").write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a class board's store"):
        ClassStore(tmp_path / "junk")
    with pytest.raises(StoreError, match=r"class\.sqlite3 is missing"):
        ClassStore(tmp_path / "empty", create=False)
    ClassStore(tmp_path / "later")
    with sqlite3.connect(tmp_path / "later" / "class.sqlite3") as db:
        db.execute("PRAGMA user_version = 7")
    with pytest.raises(StoreError, match="a store of layout 7; this version of Ziliao reads layout 1"):
        ClassStore(tmp_path / "later")


def test_one_board_serves_a_folder_at_a_time(tmp_path):
    ClassStore(tmp_path)
    with serving(tmp_path), pytest.raises(BusyError, match="already serving this folder"), serving(tmp_path):
        pass
    with serving(tmp_path):  # free again once the first stopped
        pass


# -- what a group sends -------------------------------------------------------------------


@pytest.mark.parametrize("text", BAD_FILES)
def test_a_bad_submission_is_refused_with_the_command_lines_own_lines(tmp_path, text):
    (tmp_path / "submission.toml").write_text(text, encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "sim", "check", "submission.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    with pytest.raises(ScenarioError) as caught:
        check_submission("Red", "more", "because", text)
    assert cli.returncode == 2 and cli.stderr.strip()
    assert caught.value.problems == cli.stderr.strip().splitlines()


@pytest.mark.parametrize(("text", "expected"), BOARD_ONLY)
def test_a_submission_names_no_file_on_the_server_and_fits_a_shared_server(text, expected):
    with pytest.raises(ScenarioError) as caught:
        check_submission("Red", "more", "because", text)
    assert caught.value.problems[0].startswith(expected)
    assert "ziliao-upload" not in str(caught.value) and "root:" not in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("group", "", "group: empty; allowed: text of 1 to 40 characters"),
        ("group", "x" * (MAX_GROUP + 1), "group: 41 characters; allowed: at most 40"),
        ("group", "---", "group: '---'; allowed: a name with at least one letter or digit"),
        ("group", "Red\u202eder", "group: 'Red\\u202eder' has control characters"),
        ("prediction", 114, "prediction: int given; allowed: text of 1 to 300 characters"),
        ("explanation", "   \n ", "explanation: empty"),
    ],
)
def test_names_and_lines_are_checked_with_a_message_naming_the_field(field, value, expected):
    fields = {"group": "Red", "prediction": "more", "explanation": "because", field: value}
    with pytest.raises(ScenarioError) as caught:
        check_submission(fields["group"], fields["prediction"], fields["explanation"], HALF_STAFF)
    assert caught.value.problems == [expected] or caught.value.problems[0].startswith(expected)


def test_a_submission_is_kept_as_one_line_with_what_it_changes():
    checked = check_submission("  Red\n team ", "fewer\nsets", "a smaller office", HALF_STAFF)
    assert (checked.group, checked.prediction) == ("Red team", "fewer sets")
    assert checked.changes == "baseline_1952: Staff at the Counsellor's Office (persons): 24 → 12"
    seeded = scenario_toml(load_scenario("office_doubled").with_overrides({"seed": 7}))
    assert check_submission("a", "b", "c", seeded).changes == "office_doubled: seed: 1952 → 7"
    assert check_submission("a", "b", "c", 'extends = "no_recall"\n').changes == "no_recall as it is"


# -- access -------------------------------------------------------------------------------


def test_a_wrong_code_says_nothing_of_how_near_it_was_and_guessing_stops(tmp_path):
    board = Board(ClassStore(tmp_path))
    near = board.code[:-1] + ("A" if board.code[-1] != "A" else "B")
    for guess in (near, "ZZZZZZ", "", None, 12):
        with pytest.raises(Refused) as caught:
            board.admit(guess, who="address:1")
        assert (str(caught.value), caught.value.status) == (WRONG_CODE, 403)
    for _ in range(MAX_WRONG - 5):
        with pytest.raises(Refused):
            board.admit("WRONG1", who="address:1")
    with pytest.raises(Refused) as caught:
        board.admit(board.code, who="address:1")  # even the right code, once the address has guessed too often
    assert (str(caught.value), caught.value.status) == (TOO_MANY, 429)
    board.admit(board.code.lower(), who="address:2")  # others are not held up; the case does not matter
    board.admit(f" {board.code[:3]}-{board.code[3:]} ", who="address:2")


def test_wrong_tries_are_forgotten_after_the_window():
    now = [0.0]
    attempts = Attempts(limit=2, window=60, clock=lambda: now[0])
    attempts.wrong("a")
    attempts.wrong("a")
    with pytest.raises(Refused):
        attempts.check("a")
    now[0] = 60.5
    attempts.check("a")


def test_only_the_token_opens_the_teachers_actions(tmp_path):
    store = ClassStore(tmp_path)
    board = Board(store)
    number = add(store)
    with pytest.raises(Refused, match=WRONG_TOKEN.split(":")[0]):
        board.teacher(store.code, who="session:x")  # the join code is not the token
    forged = Teacher("0" * 64)
    other = Board(ClassStore(tmp_path / "other")).teacher(ClassStore(tmp_path / "other").token, who="session:x")
    for impostor in (forged, other, "teacher", None):
        for action in (board.reveal, board.pin, board.delete):
            with pytest.raises(Refused):
                action(impostor, number)  # type: ignore[arg-type]
        with pytest.raises(Refused):
            board.reveal_all(impostor)  # type: ignore[arg-type]
    assert store.get(number) is not None and not store.get(number).revealed and not store.get(number).pinned
    teacher = board.teacher(f" {store.token} ", who="session:t")
    board.reveal(teacher, number)
    board.pin(teacher, number)
    assert store.get(number).revealed and store.get(number).pinned
    assert board.teacher_again("session:t") == teacher and board.teacher_again("session:x") is None
    board.delete(teacher, number)
    assert store.get(number) is None


def test_a_session_hands_in_only_after_joining_and_under_its_groups_name(tmp_path):
    board = Board(ClassStore(tmp_path))
    owner = owner_key("cookie")
    with pytest.raises(Refused, match="join the class first"):
        board.hand_in(owner, "p", "e", HALF_STAFF)
    with pytest.raises(Refused, match="join code"):
        board.join("nope", "Red", who="session:1", owner=owner)
    assert board.member(owner) is None
    assert board.join(board.code, " Red  team ", who="session:1", owner=owner) == "Red team"
    number = board.hand_in(owner, "p", "e", HALF_STAFF)
    kept = board.store.get(number)
    assert (kept.group, kept.owner, kept.source) == ("Red team", owner, "board")
    assert owner != "cookie" and "cookie" not in json.dumps(kept.__dict__, default=str)


# -- the digest, the table, the runner ----------------------------------------------------


@pytest.fixture(scope="module")
def half_staff_run():
    checked = check_submission("Red", "p", "e", HALF_STAFF)
    model = TechTransferModel(checked.scenario)
    model.run()
    return model.results()


def test_the_digest_counts_as_the_summary_does(half_staff_run):
    results = half_staff_run
    found = digest(results)
    assert found["years"] == list(YEARS) == list(range(1953, 1963))
    assert sum(found["supply"][:5]) == results.summary["sets_supplied_1953_1957_total"]
    assert sum(found["supply"][5:]) == results.summary["sets_supplied_1958_1962_total"]
    ledger = results.ledger
    delivered = ledger[ledger["status"] == "delivered"]
    in_1958 = delivered[delivered["delivered"].dt.year == 1958]
    expected = ((in_1958["delivered"] - in_1958["created"]).dt.total_seconds() / 86400).mean()
    assert found["lead_time"][YEARS.index(1958)] == pytest.approx(expected, abs=1e-4)
    ts = results.timeseries
    assert found["adoption"][-1] == pytest.approx(ts.loc[ts.index.year == 1962, "technology_index"].iloc[-1], abs=1e-4)
    assert found["summary"] == {name: results.summary[name] for name in TABLE}
    assert json.loads(json.dumps(found)) == found  # plain data, as the store keeps it


def test_a_run_cut_short_leaves_the_years_it_did_not_reach_empty():
    model = TechTransferModel(load_scenario("baseline_1952"))
    model.run_until("1955-06-30")
    found = digest(model.results())
    for series in SERIES:
        assert found[series.key][YEARS.index(1955)] is not None
        assert found[series.key][YEARS.index(1956) :] == [None] * 7


def test_the_worker_gives_the_digest_of_the_run_and_fails_in_one_line(half_staff_run):
    outcome, found = digest_of(HALF_STAFF)
    assert outcome == "done" and found == digest(half_staff_run)
    assert digest_of('extends = "/etc/passwd"\n') == (
        "failed",
        "submission.toml: extends: '/etc/passwd' is not a scenario of the library; allowed: " + ", ".join(library()),
    )


def test_the_table_labels_its_figures_with_units_and_the_record_with_its_rows():
    figures = [c for c in COLUMNS if c.key in TABLE]
    assert [c.key for c in figures] == list(TABLE)
    for column in figures:
        assert (column.label, column.unit) == (FIGURES_BY_NAME[column.key].label, FIGURES_BY_NAME[column.key].unit)
        assert column.heading == f"{column.label} ({column.unit})"
    assert record() == {
        "sets_supplied_1953_1957_total": (19671.0, "sets_total_1953_57_derived"),
        "sets_supplied_1958_1962_total": (60329.0, "sets_total_1958_62"),
        "sets_supplied_1953_1962_total": (80000.0, "sets_total_1953_62"),
    }


def test_the_table_sorts_pinned_first_then_by_the_column_missing_values_last(tmp_path):
    store = ClassStore(tmp_path)
    ids = [add(store, group) for group in ("b", "C", "a", "d")]
    for number, sets in zip(ids[:3], (300, 100, 200), strict=True):
        store.finish(number, {"summary": {"sets_supplied_1953_1962_total": sets}})
    store.pin(ids[3])
    rows = store.submissions(teacher=True)
    by = lambda key, down=False: [s.group for s in ordered(rows, key, down)]  # noqa: E731
    assert by("sets_supplied_1953_1962_total") == ["d", "C", "a", "b"]
    assert by("sets_supplied_1953_1962_total", True) == ["d", "b", "a", "C"]
    assert by("group") == ["d", "a", "b", "C"]
    assert by("group", True) == ["d", "C", "b", "a"]
    assert by("id") == ["d", "b", "C", "a"]


def test_what_was_queued_when_the_server_stopped_runs_when_it_starts_again(tmp_path):
    store = ClassStore(tmp_path)
    ids = [add(store, "Red"), add(store, "Blue", text='extends = "no_recall"\n')]
    restarted = ClassStore(tmp_path)  # another server, later
    runner = Runner(restarted).start()
    try:
        deadline = time.monotonic() + HANG_S
        while restarted.queued() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        runner.stop()
    done = {s.id: s for s in restarted.submissions(teacher=True)}
    assert [done[i].status for i in ids] == ["done", "done"]
    assert done[ids[0]].digest == digest_of(HALF_STAFF)[1]


# -- the lesson's record ------------------------------------------------------------------


def test_export_writes_the_csv_the_scenario_files_and_the_figures_and_its_files_run(tmp_path):
    data = tmp_path / "class"
    store = ClassStore(data)
    first = add(store, "Red team")
    second = add(store, "Blue", text='extends = "no_recall"\nseed = 7\n')
    store.reveal(first)
    line = export(data, tmp_path / "record")  # no server: the queued ones run first
    assert line == f"2 submissions (2 run) written to {tmp_path / 'record'}/"
    out = tmp_path / "record"
    rows = list(csv.DictReader((out / "submissions.csv").open(encoding="utf-8")))
    assert [(r["id"], r["group"], r["revealed"], r["status"]) for r in rows] == [
        (str(first), "Red team", "True", "done"),
        (str(second), "Blue", "False", "done"),
    ]
    kept = store.get(first)
    assert {name: float(rows[0][name]) for name in TABLE} == {name: kept.digest["summary"][name] for name in TABLE}
    assert rows[0]["scenario_file"] == f"scenarios/{file_name(kept)}" == "scenarios/001-red-team.toml"
    assert sorted(p.name for p in (out / "figures").iterdir()) == ["adoption.png", "lead_time.png", "supply.png"]
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in (out / "figures").iterdir())
    written = out / rows[1]["scenario_file"]
    assert "# Group: Blue" in written.read_text() and written.read_text().endswith(store.get(second).scenario_toml)
    run = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(written), "--out", str(tmp_path / "rerun"), "--no-plots", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert run.returncode == 0, run.stderr
    summary = json.loads((tmp_path / "rerun" / "summary.json").read_text())
    assert summary["seed"] == 7
    assert {name: summary["summary"][name] for name in TABLE} == store.get(second).digest["summary"]


def test_export_refuses_a_folder_in_use_and_leaves_it_as_it_was(tmp_path):
    data = tmp_path / "class"
    add(ClassStore(data))
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "class", "export", "--data", str(data), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_S,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "folder is not empty" in done.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]
    assert not list(tmp_path.glob(".out.partial-*"))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["class", "--port", "0"], "--port 0: give a port from 1 to 65535"),
        (["class", "--port", "70000"], "--port 70000: give a port from 1 to 65535"),
        (["class", "--data", "README.md"], "--data README.md: not a folder"),
        (["class", "export", "--data", "docs", "--out", "/tmp/x"], "--data docs: no class board's store here"),
    ],
)
def test_bad_class_options_are_one_line_and_exit_2(args, expected):
    done = subprocess.run(
        [sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True, text=True, timeout=HANG_S
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == f"error: {expected}" or expected in done.stderr
    assert "Traceback" not in done.stderr


def test_share_says_in_one_line_when_no_board_answers(capsys):
    from sim.teaching import share

    assert share(HALF_STAFF, group="Red", prediction="p", explanation="e", board="http://127.0.0.1:9", code="X") is None
    assert share("no_such_file.toml", group="Red", prediction="p", explanation="e", code="X") is None
    assert share(HALF_STAFF, group="Red", prediction="p", explanation="e", board="board", code="X") is None
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(line.startswith("Not handed in: ") for line in lines)
    assert "no class board answered at http://127.0.0.1:9" in lines[0]
    assert "no_such_file.toml" in lines[1]
    assert "board='board' is not an address" in lines[2]


def test_the_lesson_plans_figures_are_the_boards():
    """docs/teaching.md, "A lesson with the class board": every figure it quotes, recomputed."""
    guide = (ROOT / "docs" / "teaching.md").read_text(encoding="utf-8")
    lesson = " ".join(guide[guide.index("## A lesson with the class board") :].split())
    base = load_scenario("baseline_1952")
    cases = {
        "baseline": base,
        "seed 7": base.with_overrides({"seed": 7}),
        "seed 8": base.with_overrides({"seed": 8}),
        "staff 12": base.with_overrides({"office.staff": 12}),
        "staff 2": base.with_overrides({"office.staff": 2}),
        **{name: load_scenario(name) for name in ("office_doubled", "no_commission", "no_recall")},
        **{name: load_scenario(name) for name in ("early_recall_1957", "translation_campaign")},
        **{name: load_scenario(name) for name in ("blueprints_withheld", "fast_adoption", "slow_adoption")},
    }
    found = {name: digest_of(scenario_toml(scenario))[1]["summary"] for name, scenario in cases.items()}
    total = "sets_supplied_1953_1962_total"
    quoted = [
        *(found[name][total] for name in ("baseline", "seed 7", "seed 8", "office_doubled", "staff 12", "staff 2")),
        *(found[name][total] for name in ("no_commission", "translation_campaign", "blueprints_withheld")),
        *(found[name]["sets_supplied_1958_1962_total"] for name in ("no_recall", "early_recall_1957", "baseline")),
    ]
    for value in quoted:
        assert f"{value:,}" in lesson, value
    assert f"{found['staff 12']['office_wait_days_mean']:.0f} days" in lesson
    assert f"{found['staff 2']['office_wait_days_mean']:.0f} days" in lesson
    assert f"{found['no_commission']['office_wait_days_mean']:.0f} days' wait" in lesson
    lead = {name: f"{found[name]['lead_time_days_mean']:.0f}" for name in ("baseline", "no_commission")}
    assert f"from {lead['baseline']} to {lead['no_commission']} days" in lesson
    assert f"{lead['baseline']} → {found['translation_campaign']['lead_time_days_mean']:.0f} days" in lesson
    index = {name: f"{found[name]['technology_index']:.2f}" for name in ("fast_adoption", "slow_adoption", "baseline")}
    assert f"{index['fast_adoption']} or {index['slow_adoption']} instead of {index['baseline']}" in lesson
    assert found["translation_campaign"][total] == found["baseline"][total] == found["fast_adoption"][total]


def test_the_board_stops_on_ctrl_c_with_130_and_a_second_board_is_refused(tmp_path):
    import os
    import signal
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "sim", "class", "--data", str(tmp_path / "data"), "--port", str(port)]
    board = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + HANG_S
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
            break
        except OSError:
            assert board.poll() is None and time.monotonic() < deadline, board.communicate()
            time.sleep(0.5)
    try:
        same_data = subprocess.run(
            [*command[:-1], str(port + 1 if port < 65535 else port - 1)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=HANG_S,
        )
        same_port = subprocess.run(
            [*command[:5], str(tmp_path / "other"), *command[6:]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=HANG_S,
        )
    finally:
        board.send_signal(signal.SIGINT)
        out, err = board.communicate(timeout=HANG_S)
    assert same_data.returncode == 2 and "a class board is already serving this folder" in same_data.stderr
    assert same_port.returncode == 2 and f"--port {port}: cannot listen there" in same_port.stderr
    assert board.returncode == 130, err
    assert "join code: " + ClassStore(tmp_path / "data").code in out
    assert err.strip().splitlines()[-1] == f"class board stopped; the class is kept in {tmp_path / 'data'}/"
    assert "Traceback" not in err and os.path.exists(tmp_path / "data" / "class.sqlite3")
