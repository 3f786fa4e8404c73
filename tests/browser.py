"""What the browser tests share: Debian's chromium and its flags, a server started for a test, the page's text.

The dashboard's tests (``test_dashboard.py``) and the class board's (``test_class_board.py``)
drive the real apps in chromium through Playwright. Without chromium or Solara's cached
front-end files they are skipped with the reason, except under CI, where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hang import HANG_S

from sim.dashboard import assets

ROOT = Path(__file__).parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return f"Debian's chromium is not installed ({CHROMIUM}); .ci/run installs it"
    if assets.missing():
        cache = assets.cache_dir()
        return f"Solara's front-end files are not cached in {cache}; run `python -m sim dashboard --fetch-assets`"
    return None


def need_browser() -> None:
    """Skip the test (fail it under CI) if chromium or Solara's front-end cache is missing."""
    reason = browser_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)


@contextmanager
def serving(command: list[str], url: str, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``python -m sim COMMAND``, its output in ``log``, until ``url`` answers 200; stop it afterwards.

    The output goes to a file, not a pipe, so that a long test never fills a pipe nobody reads.
    The whole process group is stopped (SIGTERM), as a teacher's Ctrl-C would stop it.
    """
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "sim", *command],
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + HANG_S
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the server did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
    try:
        yield process
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=HANG_S)


def free_port() -> int:
    """A port nothing listens on now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def page_text(page) -> str:
    """What the page shows as text (not its style sheets, which name a 'Traceback' colour)."""
    return page.evaluate("document.body.innerText")
