"""``python -m sim dashboard [--host 127.0.0.1] [--port 8765] [--fetch-assets]``."""

from __future__ import annotations

import argparse
import errno
import signal
import socket
import subprocess
import sys

from sim.errors import UsageError

EXIT_MACHINE = 1
EXIT_INTERRUPTED = 130
#: Seconds the server may take to stop after Ctrl-C before it is killed.
STOP_S = 10


def check_address(host: str, port: int) -> None:
    """Refuse, before the server starts, a ``--host`` and ``--port`` it could not listen on.

    The address is bound once and let go: a host that is no address or name, an address
    of another machine, a port in use or one that needs privileges are each one line
    (exit 2) rather than the server's own traceback or exit status.

    Raises:
        UsageError: Naming the option, the value and what is wrong.
    """
    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: give a port from 1 to 65535")
    if not host.strip():
        raise UsageError("--host '': empty; give 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)")
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise UsageError(
            f"--host {host}: not an address or a name this machine knows ({exc}); give 127.0.0.1 (this machine "
            "only), 0.0.0.0 (every interface) or one of its own addresses"
        ) from None
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as exc:
            why = {
                errno.EADDRINUSE: f"port {port} is in use; choose another --port",
                errno.EADDRNOTAVAIL: f"{host} is not an address of this machine; give one of its own, or 0.0.0.0",
                errno.EACCES: f"port {port} needs privileges; choose a port above 1023",
            }.get(exc.errno or 0, exc.strerror or str(exc))
            raise UsageError(f"--host {host} --port {port}: cannot listen there: {why}") from None


def serve(command: list[str], env: dict[str, str]) -> int | None:
    """Run the server ``command`` until it stops; return its status, or None if Ctrl-C stopped it.

    A Ctrl-C that comes while the server is being started is held until it has started
    (``subprocess.call`` let one that came inside ``Popen`` end this process and leave the
    server running, holding the terminal's output), then stops it: the server gets the
    Ctrl-C too, and is killed if it has not stopped within :data:`STOP_S`.
    """
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, _frame: held.append(number))
    server = None
    try:
        try:
            server = subprocess.Popen(command, env=env)
        finally:
            signal.signal(signal.SIGINT, previous)
        if held:
            raise KeyboardInterrupt
        return server.wait()
    except KeyboardInterrupt:
        if server is None:
            return None
        try:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=STOP_S)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):  # a second Ctrl-C, or a server that hangs on
            server.kill()
            server.wait()
        return None


def cmd_dashboard(args: argparse.Namespace) -> int:
    """Serve the dashboard with Solara (or only fill the offline cache with --fetch-assets).

    Returns:
        0 when the server stopped by itself, 130 after Ctrl-C, 1 if it failed while running.
    """
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
    check_address(args.host, args.port)
    if assets.missing():
        print(
            "note: Solara's front-end files are not cached; the page needs internet unless you run "
            "`python -m sim dashboard --fetch-assets` once",
            file=sys.stderr,
        )
    print(f"Ziliao dashboard on http://{args.host}:{args.port}/  (Ctrl-C to stop)", flush=True)
    status = serve(command, assets.environment())
    if status is None:
        return EXIT_INTERRUPTED
    if status == 0:
        return 0
    if status in (EXIT_INTERRUPTED, -signal.SIGINT):  # the terminal's Ctrl-C reached the server first
        return EXIT_INTERRUPTED
    print(f"error: the dashboard's server stopped with status {status} (see its messages above)", file=sys.stderr)
    return EXIT_MACHINE


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``dashboard`` subcommand."""
    parser = commands.add_parser("dashboard", help="serve the interactive dashboard (Solara) in the browser")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument(
        "--fetch-assets", action="store_true", help="download Solara's front-end files for offline use, then exit"
    )
    parser.set_defaults(handler=cmd_dashboard)
