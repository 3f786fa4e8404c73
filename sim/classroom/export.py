"""The lesson's record: ``python -m sim class export --data DIR --out OUT``.

Writes, atomically (the folder appears only when every file in it is complete, as
``run`` writes its results; :func:`sim.storage.atomic_directory`):

- ``submissions.csv``: one row per submission: who, when, what it changes, the
  prediction and explanation, whether it was revealed or pinned, how its run went,
  the board's headline figures (:data:`sim.classroom.digest.TABLE`) and the name of
  its scenario file;
- ``scenarios/NNN-group.toml``: each submission's scenario file as handed in, with
  the group, prediction and explanation as comments; each runs with
  ``python -m sim run FILE``;
- ``figures/supply.png``, ``lead_time.png``, ``adoption.png``: the board's panels
  with every submission that ran, and the record.

If no board is serving the folder, submissions still queued are run first, so the
record is complete; if one is, they are left to it and exported as queued.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sim.classroom.digest import SERIES, TABLE
from sim.classroom.figures import lines, panel_png
from sim.classroom.runner import Runner
from sim.classroom.store import BusyError, ClassStore, Submission, serving
from sim.storage import atomic_directory, check_writable

#: The columns of ``submissions.csv``: the submission's fields, its headline figures, its file.
FIELDS = (
    "id",
    "group",
    "source",
    "created",
    "title",
    "changes",
    "seed",
    "prediction",
    "explanation",
    "revealed",
    "pinned",
    "status",
    "message",
)


def file_name(submission: Submission) -> str:
    """``007-red-team.toml``: the number, then the group's name in plain letters."""
    slug = re.sub(r"[^a-z0-9]+", "-", submission.group.lower()).strip("-")[:30] or "group"
    return f"{submission.id:03d}-{slug}.toml"


def scenario_file(submission: Submission) -> str:
    """The submission's scenario file with who sent it and what they predicted, as comments above it."""
    head = [
        f"Class board submission #{submission.id}, {submission.created} ({submission.source})",
        f"Group: {submission.group}",
        f"Prediction: {submission.prediction}",
        f"Explanation: {submission.explanation}",
        f"Changes: {submission.changes}",
        f"Run it with: python -m sim run {file_name(submission)} --out results/{file_name(submission)[:-5]}",
    ]
    return "".join(f"# {line}\n" for line in head) + "\n" + submission.scenario_toml


def submissions_csv(submissions: list[Submission]) -> str:
    """The submissions as CSV (columns: :data:`FIELDS`, then :data:`TABLE`, then ``scenario_file``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*FIELDS, *TABLE, "scenario_file"])
    for s in submissions:
        summary = (s.digest or {}).get("summary", {})
        row = [getattr(s, name) for name in FIELDS]
        writer.writerow([*row, *(summary.get(name, "") for name in TABLE), f"scenarios/{file_name(s)}"])
    return buffer.getvalue()


def export(data: str | Path, out: str | Path, *, force: bool = False) -> str:
    """Write the lesson's record of the class kept in ``data`` into ``out``; return a line saying what was written.

    Raises:
        StoreError: If ``data`` holds no class board's store.
        OutputExistsError: If ``out`` is not empty and not ``force``.
    """
    store = ClassStore(data, create=False)
    out = Path(out)
    check_writable(out, force)
    try:
        with serving(data):
            Runner(store).drain()
    except BusyError:
        pass  # the board serving it runs them
    submissions = sorted(store.submissions(teacher=True), key=lambda s: s.id)
    with atomic_directory(out, force=force) as folder:
        (folder / "submissions.csv").write_text(submissions_csv(submissions), encoding="utf-8")
        (folder / "scenarios").mkdir()
        for s in submissions:
            (folder / "scenarios" / file_name(s)).write_text(scenario_file(s), encoding="utf-8")
        (folder / "figures").mkdir()
        for series in SERIES:
            (folder / "figures" / f"{series.key}.png").write_bytes(
                panel_png(series.key, lines(submissions, series.key))
            )
    ran = sum(s.status == "done" for s in submissions)
    waiting = sum(s.status == "queued" for s in submissions)
    note = f", {waiting} still queued on the running board" if waiting else ""
    return f"{len(submissions)} submissions ({ran} run{note}) written to {out}/"
