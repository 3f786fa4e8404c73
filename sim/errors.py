"""The errors of bad input, shared by the library and every subcommand.

Whatever a user can get wrong (a scenario file, an option, a value, an output
folder) raises an :class:`InputError` where the mistake is found, with a message
that names the input and what is allowed. The command line catches them by this
class in one place (:func:`sim.cli.main`), prints the message and exits with
status 2; any other exception is a bug and keeps its traceback.

All are ``ValueError`` subclasses, so library callers that catch ``ValueError``
keep working.
"""

from __future__ import annotations

from collections.abc import Iterable


def one_line(text: str) -> str:
    """``text`` with its control characters escaped (a file name may hold a newline), so a message stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii") for c in text)


class InputError(ValueError):
    """Input that cannot be used; the message names it and says what is allowed."""


class UsageError(InputError):
    """Bad command-line input: the message names the option, the value and what is allowed."""


class DateError(InputError):
    """A text that is not a date: the message quotes it and gives the form YYYY-MM-DD."""


class ScenarioError(InputError):
    """A scenario (file, override or event), or a sweep file, that cannot be used.

    Attributes:
        problems: One line per problem, each naming the file, key and value.
    """

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = [one_line(problem) for problem in problems]
        super().__init__("\n".join(self.problems))


class OutputError(InputError):
    """The output folder cannot be used."""


class OutputExistsError(OutputError, FileExistsError):
    """The output folder is not empty and overwriting was not asked for."""


class AnalysisError(InputError):
    """A sweep store that cannot be analysed as asked (runs not done, a figure not kept, a design without indices)."""


class ExecutorLostError(InputError):
    """The Dask scheduler (``--scheduler``) or a local worker process went away during a sweep.

    The runs finished before are kept in the store; ``--resume`` finishes it.
    """


class MachineError(RuntimeError):
    """The machine, not the input, failed the command (a full disk); the command line exits with status 1."""


class DiskFullError(MachineError, OSError):
    """No space was left on the device (or the quota was used up) while writing ``folder``."""

    def __init__(self, folder: object, advice: str = "nothing was written; free some space and run again") -> None:
        self.folder = folder
        super().__init__(f"{folder}: no space left on the device; {advice}")


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the device or the quota is full (pyarrow and matplotlib raise plain OSErrors)."""
    import errno

    if not isinstance(exc, OSError) or isinstance(exc, DiskFullError):
        return False
    return exc.errno in (errno.ENOSPC, errno.EDQUOT) or "no space left" in str(exc).lower()


class StoreError(InputError):
    """A sweep store whose files are missing or damaged: the message names the store, the file and what is wrong."""


class TooLargeError(InputError):
    """Input within each parameter's range whose run or sweep would exceed a limit of :mod:`sim.limits`."""
