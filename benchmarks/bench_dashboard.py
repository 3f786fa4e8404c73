"""Dashboard latency: one step plus a redraw, and playing a whole scenario to its end.

Measures, at the default population (baseline_1952), what the server does for each
frame, through the code the dashboard runs: step the model, then
``ExploreFigures.update`` (bring the channel network, the enterprise sample and the
six time-series panels up to date and render them to PNG) and the headline figures.
Then, if Debian's chromium and Solara's front-end cache are there, the same from a
user's seat: the dashboard served by ``python -m sim dashboard``, chromium driven by
Playwright clicking Step, timed from the click until the new date shows in the
headline figures (transfer and paint included). Prints and writes
results_dashboard.json.

- step + redraw: median, 90th percentile and maximum over every step of the run, as
  pressing Step again and again would (target <= 200 ms)
- play to the end: all 539 steps at the default speed (13 steps per frame), with the
  play loop's own pause between frames (target <= 30 s)

    .venv/bin/python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sim.dashboard import assets, views
from sim.dashboard.app import STEPS_PER_FRAME, frame_pause
from sim.model import TechTransferModel

HERE = Path(__file__).parent
CLICKS = 30


def browser_latencies(clicks: int = CLICKS) -> list[float] | None:
    """Seconds from a click on Step to the new date in the headline, in chromium; None without a browser."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(chromium) or assets.missing():
        return None
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "sim", "dashboard", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(180):
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            step = page.get_by_role("button", name="Step")
            step.wait_for()
            latencies = []
            for _ in range(clicks):
                before = page.locator(".headline-date").inner_text()
                started = time.perf_counter()
                step.click()
                page.wait_for_function(
                    "before => document.querySelector('.headline-date').innerText !== before", arg=before
                )
                latencies.append(time.perf_counter() - started)
            browser.close()
        return latencies
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


def main() -> None:
    model = TechTransferModel("baseline_1952")
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    figures.update(model)
    latencies = []
    while not model.finished:
        started = time.perf_counter()
        model.step()
        figures.update(model)
        latencies.append(time.perf_counter() - started)
    full_redraws = sum(view.canvas.full_draws for view in figures.views().values())
    model = TechTransferModel("baseline_1952")
    started = time.perf_counter()
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    frames = 0
    while not model.finished:
        frame = time.perf_counter()
        for _ in range(STEPS_PER_FRAME):
            if not model.finished:
                model.step()
        figures.update(model)
        frames += 1
        time.sleep(frame_pause(time.perf_counter() - frame))
    play = time.perf_counter() - started
    latencies.sort()
    in_browser = browser_latencies()
    results = {
        "step_plus_redraw_ms_median": round(1000 * statistics.median(latencies), 1),
        "step_plus_redraw_ms_p90": round(1000 * latencies[int(0.9 * (len(latencies) - 1))], 1),
        "step_plus_redraw_ms_max": round(1000 * latencies[-1], 1),
        "full_redraws_of_step_run": full_redraws,
        "play_to_end_s": round(play, 1),
        "frames": frames,
        "steps": model.steps_done,
        "steps_per_frame": STEPS_PER_FRAME,
    }
    if in_browser:
        in_browser.sort()
        results["browser_click_to_update_ms_median"] = round(1000 * statistics.median(in_browser), 1)
        results["browser_click_to_update_ms_p90"] = round(1000 * in_browser[int(0.9 * (len(in_browser) - 1))], 1)
        results["browser_clicks"] = len(in_browser)
    for key, value in results.items():
        print(f"{key:<28} {value}")
    (HERE / "results_dashboard.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
