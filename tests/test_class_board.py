"""The class board served by ``python -m sim class``: a teacher and three groups in chromium, notebooks over HTTP.

Every test talks to a real server in its own process and a real SQLite store; the
browser tests drive Debian's chromium with Playwright (tests/browser.py). Waits are
for conditions (Playwright's ``expect``), bounded only by :data:`hang.HANG_S`.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser import CHROMIUM, FLAGS, free_port, need_browser, page_text, serving
from hang import HANG_S
from playwright.sync_api import expect

from sim.classroom.access import MAX_WRONG, TOO_MANY, WRONG_CODE, WRONG_TOKEN
from sim.classroom.client import PATH
from sim.classroom.store import ClassStore
from sim.classroom.submission import check_submission
from sim.dashboard.app import shown
from sim.scenario import load_scenario

WAIT_MS = HANG_S * 1000
expect.set_options(timeout=WAIT_MS)
HALF_STAFF = 'extends = "baseline_1952"\ntitle = "Half the office"\n\n[office]\nstaff = 12\n'


class Board:
    """A running class board: its address, join code, teacher's token and store."""

    def __init__(self, url: str, log: Path, data: Path) -> None:
        self.url = url
        self.data = data
        text = log.read_text()
        self.code = re.search(r"join code: (\w+)", text)[1]
        self.token = re.search(r"token=(\S+)", text)[1]
        self.teacher_url = f"{url}teacher?token={self.token}"

    def store(self) -> ClassStore:
        """The server's store, read from this process (SQLite in WAL mode)."""
        return ClassStore(self.data, create=False)


def start(tmp: Path, data: Path, name: str):
    """``python -m sim class --data DATA`` on a free port (a context manager giving a :class:`Board`)."""
    from contextlib import contextmanager

    @contextmanager
    def running():
        port = free_port()
        url = f"http://127.0.0.1:{port}/"
        log = tmp / f"{name}.log"
        with serving(["class", "--data", str(data), "--port", str(port)], url, log):
            yield Board(url, log, data)

    return running()


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    need_browser()
    tmp = tmp_path_factory.mktemp("class")
    with start(tmp, tmp / "data", "server") as running:
        yield running


@pytest.fixture(scope="module")
def browser(board):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def post(board: Board, body: object, content_type: str = "application/json", path: str = PATH) -> tuple[int, dict]:
    """A crafted request to the board: its status and JSON answer (or the raw text)."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = urllib.request.Request(
        board.url.rstrip("/") + path, data=data, headers={"Content-Type": content_type}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        text = exc.read().decode()
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, {"text": text}


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    return page


def join(browser, board: Board, group: str, code: str | None = None):
    page = open_page(browser, board.url)
    page.get_by_label("Join code").fill(code or board.code)
    page.get_by_label("Group name").fill(group)
    page.get_by_role("button", name="Join").click()
    return page


def hand_in(page, prediction: str, explanation: str) -> int:
    page.get_by_label("Our prediction").fill(prediction)
    page.get_by_label("Because… (one line)").fill(explanation)
    page.get_by_role("button", name="Run and hand in").click()
    note = page.locator(".zl-handed-in")
    note.wait_for()
    return int(re.search(r"number (\d+)", note.inner_text())[1])


def rows(page) -> list[int]:
    """The submissions' numbers in the page's table, top to bottom."""
    return [int(text) for text in page.locator("tr.zl-row .zl-cell-id").all_inner_texts()]


def assert_no_error(page) -> None:
    text = page_text(page)
    for sign in ("Traceback", "could not draw", "Too many renders", "that did not work"):
        assert sign not in text, text[-2000:]


def teacher_page(browser, board: Board):
    page = open_page(browser, board.teacher_url)
    page.locator(".zl-counts").wait_for()
    return page


def test_three_groups_hand_in_and_the_teacher_reveals_pins_compares_sorts_and_deletes(board, browser):
    teacher = teacher_page(browser, board)
    expect(teacher).to_have_url(f"{board.url}teacher")  # the token is gone from the address bar
    before = set(rows(teacher))

    red = join(browser, board, "Red")
    red.get_by_text("Group: Red").wait_for()
    red.get_by_text("Office", exact=True).click()
    staff = red.get_by_label("Staff (persons)").first
    staff.fill("12")
    staff.press("Enter")
    red.locator(".zl-changed").first.wait_for()
    n_red = hand_in(red, "fewer sets in 1958-62", "half the office handles half the requests")

    blue = join(browser, board, "Blue")
    blue.locator(".zl-side .v-select").first.click()
    blue.get_by_role("option", name="no_recall").click()
    blue.get_by_text(load_scenario("no_recall").question).first.wait_for()
    n_blue = hand_in(blue, "more adoption after 1960", "the specialists stay")

    green = join(browser, board, "Green")
    green.get_by_label(re.compile(r"^Seed")).fill("7")
    green.get_by_label(re.compile(r"^Seed")).press("Enter")
    n_green = hand_in(green, "about the same", "only the seed changes")

    for page, number in ((red, n_red), (blue, n_blue), (green, n_green)):
        expect(page.locator(f".zl-row-{number} .zl-cell-status")).to_have_text("done", timeout=WAIT_MS)
        assert rows(page) == [number]  # a group sees only its own until the teacher reveals
        assert "(yours) (hidden)" in page.locator(f".zl-row-{number} .zl-cell-group").inner_text()
    ours = {n_red, n_blue, n_green}
    expect(teacher.locator(".zl-row")).to_have_count(len(before | ours))
    for number in ours:
        expect(teacher.locator(f".zl-row-{number} .zl-cell-status")).to_have_text("done", timeout=WAIT_MS)
    store = board.store()
    assert store.get(n_red).changes == "baseline_1952: Staff at the Counsellor's Office (persons): 24 → 12"
    assert store.get(n_blue).changes.startswith("no_recall") and store.get(n_green).seed == 7

    teacher.locator(f".zl-row-{n_red} .zl-reveal").click()
    for page in (blue, green):
        expect(page.locator(f".zl-row-{n_red}")).to_be_visible()  # the board updates itself
        expect(page.locator("tr.zl-row")).to_have_count(2)
        assert sorted(rows(page)) == sorted([n_red, n_blue if page is blue else n_green])
    assert n_blue not in rows(green)

    teacher.locator(f".zl-row-{n_blue} .zl-pin").click()
    expect(teacher.locator(f".zl-row-{n_blue}")).to_have_class(re.compile("zl-pinned"))
    assert rows(teacher)[0] == n_blue

    heading = teacher.locator(".zl-head-sets_supplied_1953_1962_total")
    heading.click()
    expect(heading).to_contain_text("▼")
    values = {n: store.get(n).digest["summary"]["sets_supplied_1953_1962_total"] for n in rows(teacher) if n in ours}
    unpinned = [n for n in rows(teacher) if n in ours and n != n_blue]
    assert [values[n] for n in unpinned] == sorted((values[n] for n in unpinned), reverse=True)

    teacher.locator(f".zl-row-{n_red} .zl-compare").click()
    teacher.locator(f".zl-row-{n_green} .zl-compare").click()
    expect(teacher.get_by_text(f"Comparing #{n_red} Red, #{n_green} Green")).to_be_visible()
    difference = teacher.locator("table.zl-comparison .zl-compare-sets_supplied_1953_1962_total td").nth(2)
    sets = {n: store.get(n).digest["summary"]["sets_supplied_1953_1962_total"] for n in (n_red, n_green)}
    expect(difference).to_have_text(shown(sets[n_green] - sets[n_red]))
    teacher.get_by_role("button", name="Stop comparing").click()

    teacher.locator(f".zl-row-{n_green} .zl-delete").click()
    expect(teacher.locator(f".zl-row-{n_green} .zl-delete")).to_have_text("Confirm delete")
    teacher.locator(f".zl-row-{n_green} .zl-delete").click()
    expect(teacher.locator(f".zl-row-{n_green}")).to_have_count(0)
    expect(green.locator(f".zl-row-{n_green}")).to_have_count(0)
    assert board.store().get(n_green) is None

    teacher.get_by_role("button", name="Reveal all").click()
    expect(green.locator(f".zl-row-{n_blue}")).to_be_visible()
    for page in (teacher, red, blue, green):
        assert_no_error(page)
        assert page.locator(".zl-panel img").count() == 3


def test_a_wrong_join_code_is_refused_and_lets_no_one_in(board, browser):
    page = join(browser, board, "Purple", code="WRONG1")
    page.locator(".zl-error").wait_for()
    assert page.locator(".zl-error").inner_text().strip() == WRONG_CODE
    assert page.get_by_text("Group: Purple").count() == 0 and page.locator(".zl-row").count() == 0
    assert board.store().submissions(teacher=True) == [] or all(
        s.group != "Purple" for s in board.store().submissions(teacher=True)
    )


def test_a_student_cannot_act_as_the_teacher_by_the_page_or_by_crafted_requests(board, browser):
    student = join(browser, board, "Orange")
    student.get_by_text("Group: Orange").wait_for()
    for name in ("Reveal", "Hide", "Pin", "Delete", "Reveal all", "Compare"):
        assert student.get_by_role("button", name=name, exact=True).count() == 0
    store = board.store()
    before = [(s.id, s.revealed, s.pinned) for s in store.submissions(teacher=True)]

    student.goto(board.url + "teacher")  # the teacher's page without the token
    student.get_by_label("Teacher's token").fill(board.code)  # the join code is not the token
    student.get_by_role("button", name="Open the teacher's board").click()
    student.locator(".zl-error").wait_for()
    assert student.locator(".zl-error").inner_text().strip() == WRONG_TOKEN
    student.goto(board.url + "teacher?token=" + board.code)
    expect_error = student.locator(".zl-error")
    expect_error.wait_for()
    assert student.locator(".zl-reveal, .zl-pin, .zl-delete").count() == 0

    crafted = {
        "code": board.code,
        "group": "Orange",
        "prediction": "p",
        "explanation": "e",
        "scenario": HALF_STAFF,
        "revealed": True,
        "pinned": 1,
        "status": "done",
        "digest": {"summary": {"sets_supplied_1953_1962_total": 1e9}},
    }
    status, answer = post(board, crafted)
    assert status == 400
    assert answer["problems"] == [
        f"{key}: unknown field; allowed: code, group, prediction, explanation, scenario"
        for key in ("digest", "pinned", "revealed", "status")
    ]
    for path in ("/api/class/reveal", "/api/class/1/reveal", "/api/class/delete", "/api/class/reveal_all"):
        status, _ = post(board, {"code": board.code, "token": board.code, "id": 1}, path=path)
        assert status in (404, 405)
    status, answer = post(board, {**{k: crafted[k] for k in ("group", "prediction", "explanation")}, "code": "X"})
    assert status == 400  # the scenario is missing: nothing is looked at before the shape is right
    assert [(s.id, s.revealed, s.pinned) for s in board.store().submissions(teacher=True)] == before
    assert_no_error(student)


def test_bad_submissions_are_refused_on_the_page_with_the_command_lines_messages(board, browser, tmp_path):
    page = join(browser, board, "Yellow")
    page.get_by_text("Group: Yellow").wait_for()
    page.get_by_role("button", name="Run and hand in").click()
    page.locator(".zl-error").wait_for()
    assert page.locator(".zl-error").inner_text().splitlines() == [
        "prediction: empty; allowed: text of 1 to 300 characters",
        "explanation: empty; allowed: text of 1 to 300 characters",
    ]
    bad = tmp_path / "mine.toml"
    bad.write_text("[office]\nstaff = -3\nstaf = 2\n")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator(".zl-upload-error").wait_for()
    with pytest.raises(Exception) as caught:
        from sim.dashboard.files import read_uploaded

        read_uploaded("mine.toml", bad.read_bytes())
    assert page.locator(".zl-upload-error").inner_text().splitlines() == caught.value.problems
    assert all(s.group != "Yellow" for s in board.store().submissions(teacher=True))
    assert_no_error(page)


def test_a_notebook_hands_in_with_share_and_hears_back_in_one_line(board, capsys):
    from sim.teaching import share

    scenario = load_scenario("office_doubled").with_overrides({"seed": 11})
    number = share(
        scenario, group="Notebook", prediction="no change", explanation="never full", board=board.url, code=board.code
    )
    line = capsys.readouterr().out
    assert (
        isinstance(number, int)
        and line == f"Handed in as number {number}: the board runs it, and shows it to the class when revealed.\n"
    )
    kept = board.store().get(number)
    assert (kept.group, kept.source, kept.seed, kept.owner) == ("Notebook", "notebook", 11, "")
    assert kept.changes == "office_doubled: seed: 1952 → 11"

    assert share(HALF_STAFF, group="Notebook", prediction="p", explanation="e", board=board.url, code="nope") is None
    assert capsys.readouterr().out == f"Not handed in: {WRONG_CODE}\n"
    bad = "[office]\nstaff = -3\n"
    assert share(bad, group="Notebook", prediction="p", explanation="e", board=board.url, code=board.code) is None
    with pytest.raises(Exception) as caught:
        check_submission("Notebook", "p", "e", bad)
    assert capsys.readouterr().out == "Not handed in: " + "; ".join(caught.value.problems) + "\n"
    assert share(HALF_STAFF, group="", prediction="p", explanation="e", board=board.url, code=board.code) is None
    assert capsys.readouterr().out == "Not handed in: group: empty; allowed: text of 1 to 40 characters\n"


def test_the_api_refuses_what_is_not_a_submission_in_one_line(board):
    assert post(board, b"not json")[0] == 400
    assert post(board, b"[1, 2]")[0] == 400
    assert post(board, {"code": "x"}, content_type="text/plain")[0] == 415
    status, answer = post(board, b'{"scenario": "' + b"x" * 500_000 + b'"}')
    assert status == 413 and answer["error"].startswith("more than")
    for _, answer in (post(board, b"not json"), post(board, {"code": 1})):
        assert set(answer) == {"error", "problems"} and "\n" not in answer["error"]


def test_a_restart_keeps_every_submission_its_state_and_the_queue(tmp_path, browser):
    data = tmp_path / "data"
    with start(tmp_path, data, "first") as first:
        group = join(browser, first, "Teal")
        group.get_by_text("Group: Teal").wait_for()
        mine = hand_in(group, "p", "e")
        numbers = [mine]
        for n in range(3):  # queued faster than they run: some are still queued when the server stops
            status, answer = post(
                first,
                {"code": first.code, "group": f"G{n}", "prediction": "p", "explanation": "e", "scenario": HALF_STAFF},
            )
            assert status == 201
            numbers.append(answer["id"])
        teacher = teacher_page(browser, first)
        teacher.locator(f".zl-row-{numbers[1]} .zl-pin").click()
        expect(teacher.locator(f".zl-row-{numbers[1]} .zl-pin")).to_have_text("Unpin")
        teacher.locator(f".zl-row-{numbers[2]} .zl-reveal").click()
        expect(teacher.locator(f".zl-row-{numbers[2]} .zl-reveal")).to_have_text("Hide")
        code, token = first.code, first.token
    stopped = {s.id: s for s in ClassStore(data, create=False).submissions(teacher=True)}
    assert sorted(stopped) == sorted(numbers)

    with start(tmp_path, data, "second") as second:
        assert (second.code, second.token) == (code, token)
        teacher = teacher_page(browser, second)
        for number in numbers:
            expect(teacher.locator(f".zl-row-{number} .zl-cell-status")).to_have_text("done", timeout=WAIT_MS)
        kept = {s.id: s for s in second.store().submissions(teacher=True)}
        assert kept[numbers[1]].pinned and kept[numbers[2]].revealed
        for number, before in stopped.items():
            assert (kept[number].group, kept[number].scenario_toml) == (before.group, before.scenario_toml)
        group.goto(second.url)  # the same browser: still in its group, still sees its own hidden work
        group.get_by_text("Group: Teal").wait_for()
        expect(group.locator(f".zl-row-{mine}")).to_be_visible()
        assert sorted(rows(group)) == sorted([mine, numbers[2]])


def test_guessing_the_code_from_one_address_is_stopped(tmp_path):
    need_browser()
    with start(tmp_path, tmp_path / "data", "guess") as guessed:
        body = {"group": "G", "prediction": "p", "explanation": "e", "scenario": HALF_STAFF}
        answers = [post(guessed, {**body, "code": f"GUESS{n}"}) for n in range(MAX_WRONG)]
        assert {(status, answer["error"]) for status, answer in answers} == {(403, WRONG_CODE)}
        status, answer = post(guessed, {**body, "code": guessed.code})
        assert (status, answer["error"]) == (429, TOO_MANY)  # even the right code, for a while
        assert guessed.store().submissions(teacher=True) == []
