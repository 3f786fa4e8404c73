"""The command line: ``python -m sim {run,check,list,params,sweep,analyze,compare,dashboard,class,calibrate}``.

Bad input of any kind ends with one clear message on stderr and exit status 2;
a failure of the machine (a full disk) with one line and status 1; an
interrupted run writes nothing and exits with 130 (README.md, "Exit status").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import NoReturn

from sim.errors import (
    DiskFullError,
    InputError,
    MachineError,
    ScenarioError,
    TooLargeError,
    UsageError,
    is_disk_full,
    one_line,
)
from sim.history import record
from sim.scenario import library, load_scenario, parse_assignments, resolve
from sim.storage import check_writable
from sim.text import format_value, text_table

#: Modules that add subcommands; each has ``register(commands)`` and imports its heavy libraries in the handler.
COMMAND_MODULES = ("sim.sweep.cli", "sim.compare", "sim.dashboard.cli", "sim.classroom.cli", "sim.calibration.cli")

EXIT_MACHINE = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def cmd_run(args: argparse.Namespace) -> int:
    """Run one scenario and save its results."""
    from tqdm import tqdm

    from sim.model import TechTransferModel
    from sim.outputs import HEADLINE_FIGURES

    scenario = load_scenario(args.scenario)
    overrides = parse_assignments(args.set)
    asked = option_date(args.until)
    if overrides:
        scenario = scenario.with_overrides(
            overrides, origin="--set", strict=True, events=args.events, advice="cli", until=asked
        )
    if args.seed is not None:
        scenario = scenario.with_overrides({"seed": args.seed}, origin="--seed")
    until = asked or scenario.time.end
    if not scenario.time.start < until <= scenario.time.end:
        raise UsageError(
            f"--until {until}: outside the run; choose a date after {scenario.time.start} and up to {scenario.time.end}"
        )
    scenario.check_size(until, origin=" ".join([args.scenario, *(f"--set {item}" for item in args.set)]))
    out = Path(args.out)
    check_writable(out, args.force, inputs=[resolve(args.scenario)])

    started = time.perf_counter()
    model = TechTransferModel(scenario)
    with tqdm(total=model.calendar.steps_until(until), delay=2.0, unit="step", disable=args.quiet, leave=False) as bar:
        model.run_until(until, progress=lambda done, total: bar.update(done - bar.n))
    elapsed = time.perf_counter() - started
    results = model.results()
    results.save(out, force=args.force, plots=not args.no_plots)
    if not args.quiet:
        print(f"{scenario.title}\n  seed {scenario.seed}, {scenario.time.start} to {model.date}, {elapsed:.2f} s")
        rows = [("figure", "model", "record")]
        for name in HEADLINE_FIGURES:
            recorded = record(name)
            rows.append((name, format_value(results.summary[name]), "" if recorded is None else f"{recorded:,.0f}"))
        print(text_table(rows))
        print(f"results in {out}/")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate scenario files and sweep files (a file with a ``[design]`` or ``[parameters]`` table is a sweep)."""
    from sim.sweep.spec import is_sweep_file, load_sweep_spec

    failed = 0
    for name in args.files:
        try:
            if is_sweep_file(name):
                title = load_sweep_spec(name).title
            else:
                scenario = load_scenario(name)
                scenario.check_size(origin=name)
                title = scenario.title
        except ScenarioError as exc:
            failed += 1
            print("\n".join(exc.problems), file=sys.stderr)
        except TooLargeError as exc:
            failed += 1
            print(exc, file=sys.stderr)
        else:
            print(f"ok  {name}: {title}")
    return EXIT_BAD_INPUT if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    """Show the scenario library."""
    for name in library():
        scenario = load_scenario(name)
        print(f"{name}\n    {scenario.title}\n    {scenario.question}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """Print the parameter table: aligned columns, or with ``--markdown`` the table of docs/ODD.md."""
    from sim.schema_doc import parameter_rows, parameter_table

    print(parameter_table() if args.markdown else text_table(parameter_rows()))
    return 0


def option_date(text: str | None, option: str = "--until") -> dt.date | None:
    """The date given to ``option`` (None if it was not given).

    Raises:
        UsageError: Naming the option and the text, if it is not a date YYYY-MM-DD.
    """
    from sim.errors import DateError
    from sim.timeline import parse_date

    if text is None:
        return None
    try:
        return parse_date(text.strip())
    except DateError as exc:
        raise UsageError(f"{option} {exc}") from None


def refuse_empty(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse an empty text given to any argument of the command (``--until ''``, ``--out ''``), naming it.

    An empty text would otherwise be read as the default (the whole run, the current folder).

    Raises:
        UsageError: Naming the argument.
    """
    # argparse keeps a command's arguments in private attributes, stable since Python 3.2.
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for action in commands.choices[args.command]._actions:
        value = getattr(args, action.dest, None)
        if any(isinstance(v, str) and not v.strip() for v in (value if isinstance(value, list) else [value])):
            name = action.option_strings[-1] if action.option_strings else str(action.metavar or action.dest)
            raise UsageError(f"{name} {value!r}: empty; give a value, or leave it out (see --help)")


def add_events_option(parser: argparse.ArgumentParser) -> None:
    """``--events keep|drop``: what a ``--set`` value that dated events also set means (default: refuse it)."""
    parser.add_argument(
        "--events",
        choices=("refuse", "keep", "drop"),
        default="refuse",
        help="for a --set parameter that dated events also set: refuse (default), keep (the value holds "
        "until the first such event) or drop (it holds for the whole run; the events stop setting it)",
    )


def program_name() -> str:
    """``ziliao`` when run as the installed script, else ``python -m sim``."""
    return "ziliao" if Path(sys.argv[0]).stem == "ziliao" else "python -m sim"


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose refusals are one line (``error: ...; see ... --help``) and exit 2, as any bad input.

    Its subcommands' parsers are of this class too.
    """

    def error(self, message: str) -> NoReturn:
        """Print one line naming the command and what is wrong, and exit with status 2."""
        self.exit(EXIT_BAD_INPUT, f"error: {self.prog}: {one_line(message)}; see `{self.prog} --help`\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m sim``."""
    from sim import __version__

    parser = Parser(
        prog=program_name(),
        description="Ziliao: an agent-based simulation of the Soviet supply of technical materials to China.",
    )
    parser.add_argument("--version", action="version", version=f"ziliao {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", help="run a scenario and save its results")
    run.add_argument("scenario", metavar="FILE_OR_NAME", help="a scenario file, or a name from `list`")
    run.add_argument("--out", required=True, metavar="DIR", help="folder for the results (must be empty)")
    run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="change a parameter (repeatable)")
    add_events_option(run)
    run.add_argument("--seed", type=int, metavar="N", help="seed of the run (replaces the scenario's)")
    run.add_argument("--until", metavar="DATE", help="stop at this date (YYYY-MM-DD) instead of the scenario's end")
    run.add_argument("--force", action="store_true", help="replace a non-empty --out folder")
    run.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")
    run.set_defaults(handler=cmd_run)

    check = commands.add_parser("check", help="validate scenario files and sweep files")
    check.add_argument("files", nargs="+", metavar="FILE", help="scenario files, library names or sweep files")
    check.set_defaults(handler=cmd_check)

    listing = commands.add_parser("list", help="show the scenario library")
    listing.set_defaults(handler=cmd_list)

    params = commands.add_parser("params", help="print every parameter with unit, range and source")
    params.add_argument("--markdown", action="store_true", help="the Markdown table of docs/ODD.md instead")
    params.set_defaults(handler=cmd_params)

    for module in COMMAND_MODULES:
        import_module(module).register(commands)
    return parser


def entry() -> NoReturn:
    """``python -m sim`` and the ``ziliao`` script: run :func:`main` and exit with its status.

    After a Ctrl-C the process leaves at once (``os._exit``), once its messages are
    out. A Ctrl-C that lands while a library runs code through the C API during an
    import marks the interpreter, and a normal exit would then end the process by
    SIGINT (status -2) instead of 130, however the interrupt was handled.
    """
    for stream in (sys.stdout, sys.stderr):  # Chinese on a terminal that cannot show it: escaped, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    status = main()
    if status == EXIT_INTERRUPTED:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m sim`` and the ``ziliao`` script.

    Returns:
        The exit status: 0 when done, 1 when the machine failed the command
        (a :class:`sim.errors.MachineError` such as a full disk) or some sweep
        runs failed, 2 after bad input of any kind (an
        :class:`sim.errors.InputError`, its message printed on stderr), 130
        after Ctrl-C.
    """
    os.environ.setdefault("MPLBACKEND", "Agg")  # figures are files here: no window, whatever the desktop has
    try:
        parser = build_parser()  # building the parser imports every command's module
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        refuse_empty(parser, args)
        status = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not as a traceback at exit
        return status
    except InputError as exc:
        lines = exc.problems if isinstance(exc, ScenarioError) else [one_line(str(exc))]
        print("error: " + "\n".join(lines), file=sys.stderr)
        return EXIT_BAD_INPUT
    except MachineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MACHINE
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of the output went away (`ziliao params | head -1`): nothing more to say, and
        # Python's own flush at exit must not fail again on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_MACHINE
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        print(f"error: {DiskFullError(exc.filename or 'the output', 'free some space and run again')}", file=sys.stderr)
        return EXIT_MACHINE
