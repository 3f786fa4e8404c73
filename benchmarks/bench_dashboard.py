"""Dashboard latency: one step plus a redraw, and playing a whole scenario to its end.

Measures, at the default population (baseline_1952), what the server does for each
frame, through the code the dashboard runs: step the model, then
``ExploreFigures.update`` (bring the channel network, the enterprise sample and the
six time-series panels up to date and render every figure's PNG layers, the bytes the
dashboard sends) and the headline figures. Then, if Debian's chromium and Solara's
front-end cache are there, the same from a user's seat: the dashboard served by
``python -m sim dashboard``, in chromium driven by Playwright. A click on Step is timed
inside the page, from the click until the new date shows, every picture is decoded
and the next frame is painted (transfer and paint included); then Play is pressed and
timed until the last step shows. Prints and writes results_dashboard.json.

- step + redraw: median, 90th percentile and maximum over every step of the run, as
  pressing Step again and again would (target <= 200 ms); in chromium, over the first
  clicks of a run, when the axes grow most often
- play to the end: all 539 steps at the default speed (13 steps per frame), with the
  browser clock's pause between frames (target <= 30 s); in chromium, pressing Play at
  the default and at the top speed (target <= 20 s at the top speed)
- in chromium, first paint on a warm server: from opening the page to the figures
  shown, median of several new sessions after the first (target <= 3 s)
- in chromium, the server's memory: the resident size of the server's processes after
  the first session closed and after 50 sessions opened and closed (target: within 20 %)

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
from sim.dashboard.app import MAX_STEPS_PER_FRAME, STEPS_PER_FRAME
from sim.dashboard.widgets import FRAME_INTERVAL_MS
from sim.model import TechTransferModel

HERE = Path(__file__).parent
CLICKS = 30
SESSIONS = 50
FIRST_PAINTS = 5
#: Click Step in the page; resolve, in ms, when the new date shows and every picture is decoded and painted.
CLICK_TO_PAINT_JS = """
async () => {
  const date = () => document.querySelector('.headline-date').innerText;
  const before = date();
  const step = [...document.querySelectorAll('button')].find(b => b.innerText.trim().toLowerCase() === 'step');
  const started = performance.now();
  step.click();
  await new Promise(resolve => {
    const check = () => (date() !== before ? resolve() : requestAnimationFrame(check));
    check();
  });
  await Promise.all([...document.querySelectorAll('img')].map(img => img.decode().catch(() => null)));
  await new Promise(resolve => requestAnimationFrame(() => resolve()));
  return performance.now() - started;
}
"""


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank, no interpolation)."""
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def group_rss_mib(group: int) -> float:
    """Resident memory (MiB) of every process in a process group (the dashboard server and its children)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp, the fifth field of /proc/PID/stat
            total += int(fields[21]) * os.sysconf("SC_PAGE_SIZE")  # rss in pages, the 24th
    return total / 2**20


def play_to_end(page) -> float:
    """Seconds from pressing Play (after a Reset) to the last step shown with its figures."""
    page.get_by_role("button", name="Reset", exact=True).click()
    page.get_by_text("(step 0 of").wait_for()
    page.locator(".headline-date", has_text="1952-09-06").wait_for()
    started = time.perf_counter()
    page.get_by_role("button", name="Play", exact=True).click()
    last = page.locator(".model-date", has_text="(step 539 of 539)")
    last.wait_for()
    page.locator(".headline-date", has_text=last.inner_text().split()[1]).wait_for()  # figures drawn too
    return time.perf_counter() - started


def first_paint(browser, url: str) -> float:
    """Seconds from opening the page in a new session to its figures shown; the session is closed after."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(120_000)
    started = time.perf_counter()
    page.goto(url)
    page.locator(".headline-date").wait_for()
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def in_browser(clicks: int = CLICKS) -> dict | None:
    """Latencies, play times, first paints and server memory in chromium (module docstring); None without one."""
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
            page.set_default_timeout(120_000)
            page.goto(url)
            page.get_by_role("button", name="Step", exact=True).wait_for()
            page.locator(".headline-date").wait_for()
            latencies = [page.evaluate(CLICK_TO_PAINT_JS) / 1000 for _ in range(clicks)]
            play = play_to_end(page)
            speed = page.locator(".zl-speed [role=slider]").first
            speed.focus()
            speed.press("End")  # the top speed
            page.get_by_text(f"Speed: {MAX_STEPS_PER_FRAME} steps a frame").wait_for()
            play_top = play_to_end(page)
            page.context.close()
            time.sleep(5)  # the server lets the closed session go
            rss_first = group_rss_mib(server.pid)
            paints = [first_paint(browser, url) for _ in range(FIRST_PAINTS)]
            for _ in range(SESSIONS - 1 - FIRST_PAINTS):
                first_paint(browser, url)
            time.sleep(5)
            rss_last = group_rss_mib(server.pid)
            browser.close()
        return {
            "latencies": latencies,
            "play": play,
            "play_top": play_top,
            "paints": paints,
            "rss_first": rss_first,
            "rss_last": rss_last,
        }
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
    full_redraws = sum(canvas.full_draws for canvas in figures.canvases().values())
    model = TechTransferModel("baseline_1952")
    started = time.perf_counter()
    figures = views.ExploreFigures(model, views.enterprise_sample(model))
    frames = 0
    while not model.finished:
        for _ in range(STEPS_PER_FRAME):
            if not model.finished:
                model.step()
        figures.update(model)
        frames += 1
        time.sleep(FRAME_INTERVAL_MS / 1000)  # the browser's clock asks for the next frame this long after a frame
    play = time.perf_counter() - started
    results = {
        "step_plus_redraw_ms_median": round(1000 * statistics.median(latencies), 1),
        "step_plus_redraw_ms_p90": round(1000 * percentile(latencies, 0.9), 1),
        "step_plus_redraw_ms_max": round(1000 * max(latencies), 1),
        "full_redraws_of_step_run": full_redraws,
        "play_to_end_s": round(play, 1),
        "frames": frames,
        "steps": model.steps_done,
        "steps_per_frame": STEPS_PER_FRAME,
    }
    browser = in_browser()
    if browser:
        clicks = browser["latencies"]
        results["browser_click_to_update_ms_median"] = round(1000 * statistics.median(clicks), 1)
        results["browser_click_to_update_ms_p90"] = round(1000 * percentile(clicks, 0.9), 1)
        results["browser_click_to_update_ms_max"] = round(1000 * max(clicks), 1)
        results["browser_clicks"] = len(clicks)
        results["browser_play_to_end_s"] = round(browser["play"], 1)
        results["browser_play_to_end_top_speed_s"] = round(browser["play_top"], 1)
        results["browser_first_paint_s_median"] = round(statistics.median(browser["paints"]), 2)
        results["browser_first_paint_s_max"] = round(max(browser["paints"]), 2)
        results["server_rss_mib_after_1_session"] = round(browser["rss_first"], 1)
        results[f"server_rss_mib_after_{SESSIONS}_sessions"] = round(browser["rss_last"], 1)
        results["server_rss_growth"] = round(browser["rss_last"] / browser["rss_first"], 3)
    for key, value in results.items():
        print(f"{key:<34} {value}")
    (HERE / "results_dashboard.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
