"""``python -m sim dashboard [--host 127.0.0.1] [--port 8765] [--fetch-assets]``."""

from __future__ import annotations

import argparse
import subprocess
import sys

from sim.errors import UsageError

EXIT_INTERRUPTED = 130


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard with Solara (or only fill the offline cache with --fetch-assets)."""
    from sim.dashboard import assets

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port from 1 to 65535")
    if args.fetch_assets:
        try:
            fetched = assets.fetch()
        except RuntimeError as exc:
            raise UsageError(f"--fetch-assets: {exc}") from None
        print(f"Solara front-end cache: {assets.cache_dir()} ({len(fetched)} packages fetched)")
        return 0
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        "sim.dashboard.app",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-open",
    ]
    if assets.missing():
        print(
            "note: Solara's front-end files are not cached; the page needs internet unless you run "
            "`python -m sim dashboard --fetch-assets` once",
            file=sys.stderr,
        )
    print(f"Ziliao dashboard on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.call(command, env=assets.environment())
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``dashboard`` subcommand."""
    parser = commands.add_parser("dashboard", help="serve the interactive dashboard (Solara) in the browser")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument(
        "--fetch-assets", action="store_true", help="download Solara's front-end files for offline use, then exit"
    )
    parser.set_defaults(handler=cmd_dashboard)
