"""``python -m sim class [--data DIR] [--host 127.0.0.1] [--port 8766]`` and ``python -m sim class export``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_INTERRUPTED = 130
#: Where a class is kept unless ``--data`` says otherwise (``results/`` is not kept in git).
DEFAULT_DATA = "results/class"


def cmd_class(args: argparse.Namespace) -> int:
    """Serve the class board until Ctrl-C."""
    from sim.classroom.server import serve
    from sim.dashboard import assets

    if assets.missing():
        print(
            "note: Solara's front-end files are not cached; the pages need internet unless you run "
            "`python -m sim dashboard --fetch-assets` once",
            file=sys.stderr,
        )
    try:
        serve(Path(args.data), args.host, args.port)
    except KeyboardInterrupt:
        print(f"class board stopped; the class is kept in {args.data}/", file=sys.stderr)
        return EXIT_INTERRUPTED
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the lesson's record: submissions.csv, the scenario files, the board's figures."""
    from sim.classroom.export import export

    print(export(args.data, args.out, force=args.force))
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``class`` subcommand (and its ``export``)."""
    parser = commands.add_parser(
        "class",
        help="serve the class board: groups hand in what-ifs, the teacher reveals and compares them",
        description="Serve the class board. It prints the students' address with the join code, "
        "and the teacher's address with the token. `class export` writes the lesson's record.",
    )
    parser.add_argument(
        "--data", default=DEFAULT_DATA, metavar="DIR", help=f"folder of the class's store (default {DEFAULT_DATA})"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; 0.0.0.0 for a classroom network)"
    )
    parser.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    parser.set_defaults(handler=cmd_class)
    actions = parser.add_subparsers(dest="class_action", metavar="export")
    export = actions.add_parser(
        "export", help="write the lesson's record: submissions.csv, scenario files, figures (PNG)"
    )
    export.add_argument(
        "--data", default=argparse.SUPPRESS, metavar="DIR", help=f"folder of the class's store (default {DEFAULT_DATA})"
    )
    export.add_argument("--out", required=True, metavar="DIR", help="folder for the record (must be empty)")
    export.add_argument("--force", action="store_true", help="replace a non-empty --out folder")
    export.set_defaults(handler=cmd_export)
