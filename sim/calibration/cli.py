"""``python -m sim calibrate``: fit the baseline to the record, validate on the rest, write the report.

``calibrate [--targets FILE] [--budget N] [--replicates R] [--seed N] [--workers N]
[--scheduler ADDRESS] [--storage FILE] [--resume] [--base SCENARIO] [--scenario FILE]
--out DIR [--force]`` runs the search of :mod:`sim.calibration.search` and writes
the folder described in :mod:`sim.calibration.report` (with ``calibrated.toml``);
``--scenario`` also writes the calibrated scenario file there (``--scenario
scenarios/calibrated.toml --force`` replaces the library's). The Optuna study is
kept in ``--storage`` (by default ``DIR.optuna.sqlite3`` beside ``DIR``) so that
``--resume`` continues a killed calibration.
"""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    parser = commands.add_parser(
        "calibrate",
        help="calibrate a scenario to the historical record and report fit and validation errors",
        description=(
            "Search parameter values (Optuna, seeded) whose replicate means match the targets with role=fit, "
            "report the error on the targets with role=validate apart, and write the calibrated scenario."
        ),
    )
    parser.add_argument("--targets", metavar="FILE", help="targets CSV (default: data/history_targets.csv)")
    parser.add_argument("--budget", type=int, default=96, metavar="N", help="candidates to evaluate (default 96)")
    parser.add_argument("--replicates", type=int, default=3, metavar="R", help="runs per candidate (default 3)")
    parser.add_argument("--seed", type=int, default=1952, metavar="N", help="seed of the sampler and the replicates")
    parser.add_argument("--workers", type=int, metavar="N", help="processes running the model (default: all cores)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="run the candidates on the Dask cluster at ADDRESS")
    parser.add_argument(
        "--storage",
        metavar="FILE",
        help="SQLite file of the Optuna study (default: DIR.optuna.sqlite3 beside --out), kept for --resume",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue an interrupted calibration from --storage (same settings)"
    )
    parser.add_argument("--base", default="baseline_1952", metavar="SCENARIO", help="scenario to calibrate")
    parser.add_argument("--scenario", metavar="FILE", help="also write the calibrated scenario to this file")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder for the report (must be empty)")
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out folder (and --scenario file)")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.set_defaults(handler=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    """Run the calibration and write its report (and the scenario file if asked)."""
    from pathlib import Path

    from sim.calibration.report import error_table, fit_table, save, scenario_toml
    from sim.calibration.search import calibrate, check_settings
    from sim.calibration.targets import load_targets
    from sim.errors import UsageError
    from sim.scenario import load_scenario, resolve
    from sim.storage import check_writable, write_atomic

    check_settings(args.budget, args.replicates, args.workers, args.scheduler, args.seed)
    targets = load_targets(args.targets)
    base = load_scenario(args.base)
    out = Path(args.out)
    storage = Path(args.storage) if args.storage else Path(f"{out}.optuna.sqlite3")
    inputs: list[str | Path] = [resolve(args.base), storage, *([args.targets] if args.targets else [])]
    check_writable(out, args.force, inputs=inputs)
    if args.force and not args.resume and storage.exists():
        storage.unlink()
    scenario_file = Path(args.scenario) if args.scenario else None
    if scenario_file is not None:
        if scenario_file.suffix != ".toml":
            raise UsageError(f"--scenario {scenario_file}: must be a .toml file")
        if scenario_file.exists() and not args.force:
            raise UsageError(f"--scenario {scenario_file}: exists; add --force to replace it")
        if not scenario_file.parent.is_dir():
            raise UsageError(f"--scenario {scenario_file}: folder {scenario_file.parent} does not exist")

    def progress(done: int, total: int, best: float) -> None:
        if not args.quiet:
            print(f"  {done}/{total} candidates, best fit loss {best:.4f}", flush=True)

    calibration = calibrate(
        base,
        targets,
        budget=args.budget,
        replicates=args.replicates,
        seed=args.seed,
        workers=args.workers,
        scheduler=args.scheduler,
        storage=storage,
        resume=args.resume,
        progress=progress,
    )
    save(calibration, out, force=args.force)
    if scenario_file is not None:
        write_atomic(scenario_file, scenario_toml(calibration).encode("utf-8"))
    if not args.quiet:
        table = fit_table(calibration)
        print(f"calibrated in {calibration.settings['seconds']} s")
        for target_id, row in table.iterrows():
            print(
                f"  {row['role']:<8} {target_id:<20} record {row['record']:>9,.0f}  model {row['model_mean']:>9,.0f}"
                f" (sd {row['model_sd']:,.0f})  {row['error']:+.1%}"
            )
        for role, row in error_table(calibration).iterrows():
            print(f"  {role}: RMS log error {row['rms_log_error']:.3f}, mean |error| {row['mean_abs_error']:.1%}")
        print(f"report in {out}/" + (f"; scenario in {scenario_file}" if scenario_file else ""))
    return 0
