"""Solara's front-end files, cached so that the dashboard works without internet.

The Solara server fetches its front-end packages from a CDN when a page loads; a
classroom (or CI) without internet gets a blank page. :func:`fetch` fills Solara's
proxy cache once from the npm registry (``npm pack``), and :func:`cache_dir` is
where the dashboard points ``SOLARA_ASSETS_PROXY_CACHE_DIR``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

#: npm packages the dashboard's pages ask the CDN for (the server log names any missing one).
PACKAGES = (
    "@widgetti/solara-vuetify-app@10.0.3",
    "@widgetti/solara-vuetify3-app@5.2.0",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "katex@0.16.9",
    "mermaid@10.8.0",
    "vega@5",
    "vega-lite@5",
    "vega-embed@6",
)


def cache_dir() -> Path:
    """``$ZILIAO_SOLARA_CACHE``, else ``$XDG_CACHE_HOME/ziliao/solara-cdn`` (``~/.cache`` by default)."""
    if os.environ.get("ZILIAO_SOLARA_CACHE"):
        return Path(os.environ["ZILIAO_SOLARA_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ziliao" / "solara-cdn"


def missing(directory: Path | None = None) -> list[str]:
    """Packages not yet in the cache."""
    directory = directory or cache_dir()
    return [spec for spec in PACKAGES if not (directory / spec / "package.json").exists()]


def fetch(directory: Path | None = None) -> list[str]:
    """Download every missing package into the cache with ``npm pack``; return those fetched.

    Raises:
        RuntimeError: If npm is not installed or a package cannot be fetched.
    """
    directory = directory or cache_dir()
    todo = missing(directory)
    if not todo:
        return todo
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed to fetch Solara's front-end files (install Node.js), or run with internet")
    for spec in todo:
        with tempfile.TemporaryDirectory() as tmp:
            done = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError(f"npm pack {spec} failed: {done.stderr.strip()[-400:]}")
            archive = Path(tmp) / done.stdout.strip().splitlines()[-1]
            target = directory / spec
            partial = target.with_name(target.name + ".partial")
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
            with tarfile.open(archive) as tar:
                for member in tar.getmembers():
                    member.name = member.name.split("/", 1)[1] if "/" in member.name else ""
                    if member.name:
                        tar.extract(member, partial, filter="data")
            shutil.rmtree(target, ignore_errors=True)
            partial.rename(target)
    return todo


#: glibc's malloc arenas for the server process. Each of Solara's threads (one per session and
#: task) otherwise gets an arena of its own that keeps its freed pages: measured over 20 sessions
#: opened and closed, the server's memory rose 389 -> 524 MiB with the default (8 per core) and
#: stayed at 362-363 MiB from the 5th to the 40th session with 2 (docs/performance.md).
MALLOC_ARENAS = "2"


def environment() -> dict[str, str]:
    """Environment for the Solara server: no telemetry, few malloc arenas, figures off screen (Agg), the cache."""
    env = dict(os.environ)
    env.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "false")
    env.setdefault("MALLOC_ARENA_MAX", MALLOC_ARENAS)
    env.setdefault("MPLBACKEND", "Agg")  # the server draws figures into images, in its threads: never a window
    if (cache_dir()).is_dir() and "SOLARA_ASSETS_PROXY_CACHE_DIR" not in env:
        env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(cache_dir())
    return env
