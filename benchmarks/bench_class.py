"""Class board soak: thirty groups hand in within ten seconds while the board is watched.

Starts the board (``sim.classroom.server.serve``, as ``python -m sim class`` does) on a
fresh store, opens the teacher's board and ``--pages`` groups' pages in chromium (they
poll as a class's would), then thirty groups hand in a what-if each over HTTP (as
``sim.teaching.share`` does), at even intervals within ten seconds, each with another
office staff so that no two runs are alike. Measured:

- stored: every submission answered 201 and is in the store (target: all 30);
- to the board: from a submission's 201 answer to its row on the teacher's page, seen
  by a MutationObserver in the page (target: within 2 s; median, 90th percentile, most);
- the page's round trip while the runs queue: a click on a column heading of the
  teacher's table until its sort arrow turns, once a second (median, 90th percentile);
- all run: from the first submission to the last digest shown on the teacher's page;
- the server's memory: the resident size of its process group at the end.

Run once with the runs in the server's worker process (what ``python -m sim class``
does) and once in a thread of the server, to show why the process. Prints the figures
and writes results_class.json.

    .venv/bin/python benchmarks/bench_class.py [--pages 10]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from sim.classroom.client import PATH
from sim.classroom.store import ClassStore
from sim.dashboard import assets

HERE = Path(__file__).parent
ROOT = HERE.parent
GROUPS = 30
WITHIN_S = 10.0
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
#: Records, in the page, when each row first shows and when its run shows done (epoch ms).
OBSERVE_JS = """
() => {
  window.zlSeen = {}; window.zlDone = {};
  const look = () => {
    for (const row of document.querySelectorAll('tr.zl-row')) {
      const id = [...row.classList].find(c => /^zl-row-\\d+$/.test(c));
      if (id && !(id in window.zlSeen)) window.zlSeen[id] = Date.now();
      const status = row.querySelector('.zl-cell-status');
      if (id && status && status.innerText.trim() === 'done' && !(id in window.zlDone)) window.zlDone[id] = Date.now();
    }
  };
  new MutationObserver(look).observe(document.body, {childList: true, subtree: true, characterData: true});
  look();
}
"""
#: Click a column heading; resolve, in ms, when its sort arrow has turned (null if not within a minute).
ROUND_TRIP_JS = """
async () => {
  const arrow = () => document.querySelector('.zl-head-id').innerText;
  const before = arrow();
  const started = performance.now();
  document.querySelector('.zl-head-id').click();
  return await new Promise(resolve => {
    const check = () => {
      if (arrow() !== before) resolve(performance.now() - started);
      else if (performance.now() - started > 60000) resolve(null);
      else requestAnimationFrame(check);
    };
    check();
  });
}
"""
#: The board as ``python -m sim class`` serves it, with the runs' place as an argument.
SERVE = (
    "import sys; from pathlib import Path; from sim.classroom.server import serve; "
    "serve(Path(sys.argv[1]), '127.0.0.1', int(sys.argv[2]), where=sys.argv[3])"
)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def server_rss_mib(pid: int) -> float:
    """Resident memory (MiB) of the server and its children (the run's worker, in a session of its own)."""
    import psutil

    total = 0
    server = psutil.Process(pid)
    for process in [server, *server.children(recursive=True)]:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / 2**20


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def submit(url: str, code: str, n: int) -> tuple[int, float, float]:
    """Hand in group ``n``'s what-if; (status, epoch ms of the answer, seconds the answer took)."""
    scenario = f'extends = "baseline_1952"\ntitle = "Office of {10 + n}"\n\n[office]\nstaff = {10 + n}\n'
    body = {"code": code, "group": f"Group {n + 1}", "prediction": "p", "explanation": "e", "scenario": scenario}
    request = urllib.request.Request(
        url.rstrip("/") + PATH, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.status, time.time() * 1000, time.perf_counter() - started


def soak(where: str, pages: int) -> dict:
    """One soak with the runs in ``where`` (``process`` or ``thread``)."""
    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="ziliao-bench-class-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = data.parent / f"{data.name}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(data), str(port), where],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError(log.read_text()) from None
                time.sleep(0.5)
        text = log.read_text()
        code = re.search(r"join code: (\w+)", text)[1]
        token = re.search(r"token=(\S+)", text)[1]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            teacher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            teacher.set_default_timeout(600_000)
            teacher.goto(f"{url}teacher?token={token}")
            teacher.locator(".zl-counts").wait_for()
            for n in range(pages):  # a class's pages, polling as they would
                page = browser.new_context().new_page()
                page.set_default_timeout(600_000)
                page.goto(url)
                page.get_by_label("Join code").fill(code)
                page.get_by_label("Group name").fill(f"Watcher {n}")
                page.get_by_role("button", name="Join").click()
                page.get_by_text(f"Group: Watcher {n}").wait_for()
            teacher.evaluate(OBSERVE_JS)
            answers: dict[int, tuple[int, float, float]] = {}
            first = time.time() * 1000

            def one(n: int) -> None:
                time.sleep(n * WITHIN_S / GROUPS)
                answers[n] = submit(url, code, n)

            threads = [threading.Thread(target=one, args=(n,)) for n in range(GROUPS)]
            for thread in threads:
                thread.start()
            trips = []
            store = ClassStore(data, create=False)

            def finished() -> bool:
                if len(answers) < GROUPS or store.queued():
                    return False
                ran = sum(s.status == "done" for s in store.submissions(teacher=True))
                return len(teacher.evaluate("Object.keys(window.zlDone)")) >= ran

            while not finished():
                trips.append(teacher.evaluate(ROUND_TRIP_JS))
                teacher.wait_for_timeout(1000)
                shown = len(teacher.evaluate("Object.keys(window.zlDone)"))
                print(
                    f"  {where}: {len(answers)} handed in, {len(store.queued())} queued, {shown} done on the board",
                    file=sys.stderr,
                )
            for thread in threads:
                thread.join()
            seen = teacher.evaluate("window.zlSeen")
            done = teacher.evaluate("window.zlDone")
            rss = server_rss_mib(server.pid)
            browser.close()
        stored = store.submissions(teacher=True)
        numbers = sorted(s.id for s in stored)
        to_board = [(seen[f"zl-row-{n}"] - answers[n - 1][1]) / 1000 for n in numbers]
        answered = [t for t in trips if t is not None]
        return {
            "where": where,
            "pages": pages + 1,
            "answered_201": sum(status == 201 for status, _, _ in answers.values()),
            "stored": len(stored),
            "stored_all": sorted(s.group for s in stored) == sorted(f"Group {n + 1}" for n in range(GROUPS)),
            "ran": sum(s.status == "done" for s in stored),
            "submit_s_median": round(statistics.median(a[2] for a in answers.values()), 3),
            "to_board_s_median": round(statistics.median(to_board), 2),
            "to_board_s_p90": round(percentile(to_board, 0.9), 2),
            "to_board_s_max": round(max(to_board), 2),
            "round_trip_ms_median": round(statistics.median(answered)),
            "round_trip_ms_p90": round(percentile(answered, 0.9)),
            "round_trips": len(trips),
            "round_trips_unanswered_in_a_minute": len(trips) - len(answered),
            "all_run_s": round((max(done.values()) - first) / 1000, 1),
            "server_rss_mib": round(rss, 1),
        }
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=120)
        shutil.rmtree(data, ignore_errors=True)
        log.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10, help="groups' pages open and polling (default 10)")
    args = parser.parse_args()
    if not os.path.exists(CHROMIUM) or assets.missing():
        print("bench_class: needs Debian's chromium and Solara's cached front-end files (make assets)")
        return
    results = {where: soak(where, args.pages) for where in ("process", "thread")}
    for where, r in results.items():
        print(
            f"runs in a {where}: {r['stored']}/{GROUPS} stored ({r['answered_201']} answered 201), "
            f"to the board median {r['to_board_s_median']} s, p90 {r['to_board_s_p90']} s, most "
            f"{r['to_board_s_max']} s (target 2 s); round trip median {r['round_trip_ms_median']} ms, "
            f"p90 {r['round_trip_ms_p90']} ms; all run in {r['all_run_s']} s; server {r['server_rss_mib']} MiB"
        )
    (HERE / "results_class.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
