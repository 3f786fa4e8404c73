"""Serve the class board: Solara's pages and the board's HTTP API in one Starlette app, run by uvicorn.

Solara documents two ways to serve an app from an ASGI server of one's own
("Self hosted deployment" in Solara's docs): name the app in ``SOLARA_APP`` and
serve ``solara.server.starlette:app``, or put Solara's routes in a Starlette app
of one's own. The board does the second: its API route
(:mod:`sim.classroom.api`) comes first, then Solara's routes, middleware and
lifespan as Solara declares them, and uvicorn serves the whole. Solara reads
``SOLARA_APP`` (the page, :mod:`sim.classroom.app`) and its settings when it is
first imported, so :func:`serve` sets them before importing it.
"""

from __future__ import annotations

import os
import socket
import sys
import warnings
from pathlib import Path
from typing import Any, TextIO

from sim.classroom.board import Board
from sim.classroom.runner import Runner, Where
from sim.classroom.store import ClassStore, serving
from sim.errors import UsageError

#: The page Solara serves.
APP = "sim.classroom.app"
#: Seconds the server waits, once asked to stop, for the pages' connections to close.
GRACEFUL_S = 3
#: Seconds a page's connection may go unanswered before it is dropped (uvicorn's default is 20): a
#: classroom's machine may be busy for a while, and a dropped page must be reloaded.
PING_TIMEOUT_S = 60


def lan_address() -> str | None:
    """This machine's address on its network (what ``--host 0.0.0.0`` serves to a classroom), or None.

    A UDP socket that is connected sends nothing; the system only picks the interface it would use.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return None


def base_url(host: str, port: int) -> str:
    """The address students type: the host itself, or this machine's address when it listens on every one."""
    shown = (lan_address() or socket.gethostname()) if host in {"0.0.0.0", "::", ""} else host
    return f"http://{f'[{shown}]' if ':' in shown else shown}:{port}"


def check_port(host: str, port: int) -> None:
    """Refuse a port outside 1-65535, or one already in use at ``host``.

    Raises:
        UsageError: Naming the port and what to do.
    """
    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: give a port from 1 to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            message = f"--host {host} --port {port}: cannot listen there ({exc.strerror}); choose another --port"
            raise UsageError(message) from None


def create_app(board: Board) -> Any:
    """The Starlette app: the board's API, then Solara's pages (``SOLARA_APP`` must be set already)."""
    import solara.server.starlette as solara_server
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse

    from sim.classroom import api

    async def one_line(request: Request, exc: Exception) -> JSONResponse:  # never a traceback page
        print(f"class board: {request.url.path}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return JSONResponse({"error": f"the board failed: {type(exc).__name__}; try again"}, status_code=500)

    return Starlette(
        routes=[*api.routes(board), *solara_server.routes],
        middleware=solara_server.middleware,
        lifespan=solara_server.lifespan,
        exception_handlers={Exception: one_line},
    )


def solara_environment() -> None:
    """Point Solara at the board's page and at the cached front-end files (see :mod:`sim.dashboard.assets`)."""
    from sim.dashboard import assets

    for key, value in assets.environment().items():
        os.environ.setdefault(key, value)
    os.environ["SOLARA_APP"] = APP


def serve(data: Path, host: str, port: int, *, where: Where = "process", out: TextIO = sys.stdout) -> None:
    """Serve the board of the class kept in ``data`` until interrupted.

    ``where`` the runs go: a worker process (the command's way), or a thread of the server
    (``benchmarks/bench_class.py`` measures both; :mod:`sim.classroom.runner` says why a process).

    Raises:
        UsageError: A port in use or out of range.
        StoreError: A ``data`` folder that cannot hold the store.
        BusyError: Another board serving ``data``.
        KeyboardInterrupt: When the teacher stops it (Ctrl-C).
    """
    check_port(host, port)
    # Solara warns, at every page load over plain http, that its session cookie falls back to SameSite=Lax: as wanted.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)
    store = ClassStore(data)
    with serving(data):
        solara_environment()
        import uvicorn

        from sim.classroom import board as boards

        runner = Runner(store, where).start()
        board = Board(store, runner)
        boards.serve(board)
        url = board.address = base_url(host, port)
        print(
            f"Ziliao class board for the class kept in {data}/\n"
            f"  students: {url}/   join code: {board.code}\n"
            f"  teacher:  {url}/teacher?token={store.token}   (keep this address to yourself)\n"
            "  Ctrl-C stops the board; the submissions stay in the folder, and the same command starts it again.",
            file=out,
            flush=True,
        )
        config = uvicorn.Config(
            create_app(board),
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=GRACEFUL_S,
            ws_ping_timeout=PING_TIMEOUT_S,
        )
        try:
            uvicorn.Server(config).run()
        finally:
            runner.stop()
