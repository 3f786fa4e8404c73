"""Writing result folders so that an interrupted write never looks complete."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.errors import DiskFullError, OutputError, OutputExistsError, is_disk_full


def check_writable(target: Path, force: bool, *, advice: str = "cli", inputs: Iterable[str | Path] = ()) -> None:
    """Refuse, before any work is done, a ``target`` that could not be written.

    Args:
        target: The folder to write.
        force: Replace a non-empty ``target``.
        advice: ``cli`` (messages name ``--out`` and ``--force``) or ``python``
            (they name ``force=True``).
        inputs: Files or folders the command reads: replacing ``target`` must not delete them.

    Raises:
        OutputExistsError: If ``target`` is a non-empty folder (unless ``force``)
            or a file.
        OutputError: If ``target`` is the current folder or one of its parents, its
            nearest existing parent is not a writable folder,
            the file system refuses the name (too long, say), or ``target`` is or holds one of ``inputs``.
    """
    try:
        _check_writable(target, force, advice)
        for given in inputs:
            if Path(given).exists() and Path(given).resolve().is_relative_to(target.resolve()):
                what = "is" if Path(given).resolve() == target.resolve() else "holds"
                raise OutputError(
                    f"{target}: {what} {given}, which this command reads; replacing it would delete its own input; "
                    f"choose another {'--out' if advice == 'cli' else 'folder'}"
                )
    except OutputError:
        raise
    except OSError as exc:
        where = "--out" if advice == "cli" else "folder"
        raise OutputError(f"{where} {_shown(target)}: cannot be used ({exc.strerror or exc}); choose another") from None


def cannot_create(target: Path, parent: Path, exc: OSError) -> OutputError:
    """The refusal of a folder the file system would not make (``/proc`` passes every check but makes nothing)."""
    return OutputError(f"{target}: cannot create a folder in {parent} ({exc.strerror or exc}); choose another")


def _shown(path: Path) -> str:
    text = str(path)
    return text if len(text) <= 80 else f"{text[:60]}... ({len(text)} characters)"


def _check_writable(target: Path, force: bool, advice: str) -> None:
    where = "--out" if advice == "cli" else "folder"
    if Path.cwd().resolve().is_relative_to(target.resolve()):
        raise OutputError(f"{target}: is the current folder or one of its parents; choose a new folder")
    parent = target.resolve().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: cannot create a folder there ({parent} is not a writable folder)")
    if target.exists() and not target.is_dir():
        raise OutputExistsError(f"{target}: exists and is not a folder; choose another {where}")
    if target.is_dir() and any(target.iterdir()) and not force:
        replace = "add --force" if advice == "cli" else "pass force=True"
        raise OutputExistsError(f"{target}: folder is not empty; choose another {where} or {replace} to replace it")


@contextmanager
def atomic_directory(target: str | Path, *, force: bool = False, advice: str = "cli") -> Iterator[Path]:
    """Yield a temporary folder that becomes ``target`` only if the block succeeds.

    Files are written beside ``target`` in ``.<name>.partial-<pid>``; on success
    that folder is renamed to ``target`` (an old ``target`` is replaced when
    ``force``). On any error or interrupt the partial folder is removed, so
    ``target`` is either absent, its old self, or complete.

    ``advice`` is as for :func:`check_writable`.

    Raises:
        OutputExistsError: If ``target`` is a non-empty folder and not ``force``.
        DiskFullError: If the device filled up while writing (the partial folder is removed).
    """
    target = Path(target)
    check_writable(target, force, advice=advice)
    # A mount point cannot be renamed: the partial folder is made inside it and emptied into it.
    mounted = target.is_dir() and os.path.ismount(target)
    partial = (target if mounted else target.parent) / f".{target.name[:100]}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.mkdir()
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFullError(target) from None
        raise cannot_create(target, partial.parent, exc) from None
    try:
        yield partial
        if mounted:
            _empty_into(partial, target)
        elif target.exists():
            old = target.parent / f".{target.name[:100]}.old-{os.getpid()}"
            target.rename(old)
            partial.rename(target)
            shutil.rmtree(old)
        else:
            partial.rename(target)
    except BaseException as exc:
        shutil.rmtree(partial, ignore_errors=True)
        if is_disk_full(exc):
            raise DiskFullError(target) from None
        raise


def _empty_into(partial: Path, target: Path) -> None:
    """Replace what ``target`` (a mount point) holds with the contents of ``partial``, a folder inside it.

    The old contents go first, then each entry of ``partial`` is renamed into ``target``
    (the same file system, so no copying), the files that say a result is complete
    (``summary.json`` of a run, ``sweep.json`` of a store) last.
    """
    for old in target.iterdir():
        if old != partial:
            shutil.rmtree(old) if old.is_dir() and not old.is_symlink() else old.unlink()
    last = {"summary.json", "sweep.json"}
    for entry in sorted(partial.iterdir(), key=lambda e: (e.name in last, e.name)):
        entry.rename(target / entry.name)
    partial.rmdir()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename; on any failure the temporary file goes.

    Raises:
        DiskFullError: If the device filled up (``path`` keeps its old contents, if any).
    """
    tmp = path.with_name(f".{path.name[:100]}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise DiskFullError(path.parent, f"{path.name} was not written; free some space and run again") from None
        raise
