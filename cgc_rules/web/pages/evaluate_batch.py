"""Many bids at once on Inzending toetsen: the evaluate job's batch (`cgc evaluate` over many files) as a task,
its outcome one CSV row per bid (opens in Excel: semicolons, a byte-order mark). With a role chosen to record,
each bid's audit records go into the store as the single upload's do (who recorded them, the municipality as
the registry spells it); a bid of a municipality the user does not see is not recorded, and its row says so."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path, PurePath

from ...i18n import Msg, text
from ...jobs.batch import STATUSES, Result, evaluate_many
from ...jobs.evaluate import Settings
from ..auth import User
from ..storing import RecordedBy
from ..tasks import Made, Progress
from . import LANG, say

MAX_FILES = 30
NAME = "toetsing-inzendingen.csv"


def _verdict(r: Result) -> str:
    if r.bad_input or r.internal:
        return text(LANG, "intake.batch.bad_input")
    return text(LANG, "intake.batch.compliant" if r.compliant else "intake.batch.not_compliant")


def overview(results: Sequence[Result], names: dict[str, str], notes: dict[str, str] | None = None) -> bytes:
    """One row per bid: the user's file name, project, verdict, outcomes per status, the located problems and
    what happened to its records (`notes`, by input)."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(
        [text(LANG, k) for k in ("intake.batch.input", "intake.batch.project", "intake.batch.verdict")]
        + [text(LANG, f"common.status.{s}") for s in STATUSES]
        + ["Meldingen"]
    )
    for r in results:
        stored = PurePath(r.input).name
        shown = names.get(stored, stored)
        counts = Counter(status for _, status in r.statuses)
        said = [e.replace(r.input, shown, 1) for e in r.errors]
        if notes and r.input in notes:
            said.append(notes[r.input])
        problems = " | ".join(said)
        w.writerow([shown, r.project, _verdict(r), *(counts.get(s, 0) for s in STATUSES), problems])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def kept(results: Sequence[Result], sink: RecordedBy, user: User) -> dict[str, str]:
    """Record the results' audit records the user may see; a note (by input) for each result that was not."""
    notes, records = {}, []
    for r in results:
        found = r.records()
        hidden = [rec.municipality for rec in found if not user.sees(rec.municipality)]
        if hidden:
            notes[r.input] = say(Msg("web.records.not_recorded", {"municipality": hidden[0]}))
            continue
        records += found
    if records:
        sink.add(records)
    return notes


def batch_work(
    files: Sequence[tuple[str, str, bytes]],
    settings: Settings,
    rulesets_dir: Path | None,
    recording: tuple[str, RecordedBy, User] | None = None,
) -> Callable[[Progress], Made]:
    """The task's work for uploaded (user's name, checked suffix, bytes) files: evaluate each, make the CSV;
    with `recording` (role, the user's sink, the user), record them."""
    role = recording[0] if recording else None

    def work(progress: Progress) -> Made:
        directory = Path(tempfile.mkdtemp(prefix="cgc-web-batch-"))
        try:
            names: dict[str, str] = {}
            paths = []
            for i, (name, suffix, data) in enumerate(files, 1):
                path = directory / f"inzending-{i:02d}{suffix}"
                path.write_bytes(data)
                names[path.name] = PurePath(name.replace("\\", "/")).name
                paths.append(path)

            def next_one(done: int) -> str:
                shown = names[paths[min(done, len(paths) - 1)].name]
                return say(Msg("web.task.step.bid", {"name": shown}))

            def told(done: int, total: int, last: str) -> None:
                progress(done, total, next_one(done))

            progress(0, len(paths), next_one(0))
            results = list(evaluate_many(paths, settings, rulesets_dir, jobs=1, progress=told, role=role))
            notes = kept(results, recording[1], recording[2]) if recording else {}
        finally:
            shutil.rmtree(directory, ignore_errors=True)
        return Made(NAME, "text/csv; charset=utf-8", overview(results, names, notes))

    return work
