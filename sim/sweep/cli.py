"""``python -m sim sweep FILE --out DIR`` and ``python -m sim analyze DIR --out DIR2``."""

from __future__ import annotations

import argparse
import sys

from sim.errors import AnalysisError

EXIT_INTERRUPTED = 130


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run (or resume) a sweep into its store."""
    from sim.limits import check_workers
    from sim.sweep.runner import run_sweep

    check_workers(args.workers)
    try:
        results = run_sweep(
            args.file,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        print(
            f"interrupted: the runs finished so far are kept in {args.out}; "
            f"run the same command with --resume to finish",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    counts = results.manifest["status"].value_counts()
    done, failed = int(counts.get("done", 0)), int(counts.get("failed", 0))
    if not args.quiet:
        print(
            f"{results.spec.title}: {done} runs done, {failed} failed, of {len(results.manifest)}; store in {args.out}/"
        )
        if failed:
            print(f"failed runs and their tracebacks: sim.sweep.load_sweep({args.out!r}).manifest (status, error)")
    return 1 if failed else 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """Plot and (for sobol and morris) compute sensitivity indices of a sweep store."""
    from pathlib import Path

    from sim.storage import check_writable
    from sim.sweep.analysis import analyze
    from sim.sweep.store import load_sweep

    check_writable(Path(args.out), args.force, inputs=[args.store])
    results = load_sweep(args.store)
    try:
        warnings = analyze(results, args.out, force=args.force)
    except AnalysisError as exc:
        raise AnalysisError(f"{args.store}: {exc}") from None
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    if not args.quiet:
        print(f"analysis of {args.store} in {args.out}/")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` and ``analyze`` subcommands."""
    sweep = commands.add_parser("sweep", help="run a batch sweep (grid, lhs, sobol, morris) into a resumable store")
    sweep.add_argument("file", metavar="FILE", help="a sweep file, or the name of a shipped one (office_x_adoption)")
    sweep.add_argument("--out", required=True, metavar="DIR", help="folder of the store (new, or one to --resume)")
    sweep.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: one per core)")
    sweep.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS (tcp://host:8786)")
    sweep.add_argument("--resume", action="store_true", help="finish the store in --out: run only what is not done")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.set_defaults(handler=cmd_sweep)

    analyze = commands.add_parser("analyze", help="plot a sweep and compute its sensitivity indices")
    analyze.add_argument("store", metavar="DIR", help="a sweep store written by `sweep`")
    analyze.add_argument("--out", required=True, metavar="DIR2", help="folder for plots and tables (must be empty)")
    analyze.add_argument("--force", action="store_true", help="replace a non-empty --out folder")
    analyze.add_argument("--quiet", action="store_true", help="print nothing but errors")
    analyze.set_defaults(handler=cmd_analyze)
