"""Long work of the web app (the set zip, the yearly report, a batch of bids) as tasks with real progress.

A task is a row of `cgc_web_tasks`: its owner, state, progress (done, total, the step in Dutch) and, when
done, the file it made (or the Dutch error). The work runs in a small thread pool of the process that
started it; every process reads the row, so any replica shows its progress and serves its file. The
running process touches its tasks' heartbeat every `beat` seconds: a task whose heartbeat is older than
`stale_after` (its process died) is shown as interrupted, with a message to start it again. Tasks and
their files are removed `keep_for` seconds after they were started (default 7 days).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..errors import CgcError
from ..i18n import Msg, render
from ..numbers import notation
from .auth import User
from .observe import log
from .storing import WebStore
from .tables import tasks

QUEUED, RUNNING, DONE, FAILED, INTERRUPTED = "wacht", "bezig", "klaar", "mislukt", "onderbroken"
ACTIVE = (QUEUED, RUNNING)
KEEP_DAYS = 7
LANG = "nl"

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Made:
    """The file a task made."""

    name: str
    media_type: str
    data: bytes


class Failed(Exception):
    """Work that stops with a message for the user (in Dutch, saying what to do)."""


@dataclass(frozen=True)
class Task:
    id: str
    owner: str
    kind: str
    title: str
    state: str
    done: int
    total: int
    step: str
    created: float
    finished: float | None
    filename: str | None
    error: str | None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def started(self) -> str:
        """When it was started, as a Dutch reader writes it (7 december 2026 09:30)."""
        moment = datetime.fromtimestamp(self.created, ZoneInfo("Europe/Amsterdam"))
        return f"{notation(LANG).date(moment.date())} {moment:%H:%M}"

    def status(self) -> dict[str, Any]:
        """What the task page's script shows."""
        return {
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "step": self.step,
            "error": self.error,
            "filename": self.filename,
            "download": f"/taken/{self.id}/bestand" if self.state == DONE else None,
        }


class Tasks:
    """Starts tasks in this process's pool and reads every process's tasks from the database."""

    def __init__(
        self,
        store: WebStore,
        workers: int = 2,
        keep_for: float = KEEP_DAYS * 24 * 3600,
        beat: float = 10.0,
        stale_after: float = 60.0,
        clock: Callable[[], float] = time.time,
    ):
        self.store, self.keep_for, self.beat, self.stale_after, self.clock = store, keep_for, beat, stale_after, clock
        self.replica = secrets.token_hex(8)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cgc-task")
        self._stop = threading.Event()
        self._beating: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self, owner: User, kind: str, title: str, work: Callable[[Progress], Made]) -> str:
        """A new task running `work(progress)` in this process; its id. Tasks past `keep_for` go first."""
        tid, now = secrets.token_urlsafe(16), self.clock()
        with self.store.writing() as conn:
            conn.execute(delete(tasks).where(tasks.c.created < now - self.keep_for))
            conn.execute(
                tasks.insert().values(
                    id=tid,
                    owner=owner.username,
                    kind=kind,
                    title=title,
                    state=QUEUED,
                    done=0,
                    total=0,
                    step=render(LANG, Msg("web.task.queued")),
                    replica=self.replica,
                    heartbeat=now,
                    created=now,
                )
            )
        self._keep_beating()
        self._pool.submit(self._run, tid, work)
        return tid

    def _mine(self, tid: str) -> Any:
        """The WHERE of a write to a task this process still runs (not one another process marked interrupted)."""
        return (tasks.c.id == tid) & (tasks.c.replica == self.replica) & tasks.c.state.in_(ACTIVE)

    def _write(self, tid: str, **values: Any) -> None:
        with self.store.writing() as conn:
            conn.execute(update(tasks).where(self._mine(tid)).values(heartbeat=self.clock(), **values))

    def _run(self, tid: str, work: Callable[[Progress], Made]) -> None:
        self._write(tid, state=RUNNING)

        def progress(done: int, total: int, step: str) -> None:
            self._write(tid, done=done, total=total, step=step[:300])

        try:
            made = work(progress)
        except Failed as exc:
            self._write(tid, state=FAILED, error=str(exc), finished=self.clock())
        except CgcError as exc:
            problems = "; ".join(str(p) for p in exc.problems)
            failed = render(LANG, Msg("web.task.failed", {"problems": problems}))
            self._write(tid, state=FAILED, error=failed, finished=self.clock())
        except Exception:  # a bug: logged, and the user told to try again with the task's code
            log.exception("task failed", extra={"fields": {"task": tid}})
            self._write(
                tid, state=FAILED, error=render(LANG, Msg("web.task.internal", {"code": tid})), finished=self.clock()
            )
        else:
            self._write(
                tid,
                state=DONE,
                done=tasks.c.total,  # all of it, whether or not the work said so last
                filename=made.name,
                media_type=made.media_type,
                result=made.data,
                finished=self.clock(),
            )

    def _keep_beating(self) -> None:
        with self._lock:
            if self._beating is None:
                self._beating = threading.Thread(target=self._beat, name="cgc-task-heartbeat", daemon=True)
                self._beating.start()

    def _beat(self) -> None:
        while not self._stop.wait(self.beat):
            try:
                with self.store.writing() as conn:
                    conn.execute(
                        update(tasks)
                        .where((tasks.c.replica == self.replica) & tasks.c.state.in_(ACTIVE))
                        .values(heartbeat=self.clock())
                    )
            except SQLAlchemyError as exc:  # the database away for a moment: one log line, beat again next time
                cause = getattr(exc, "orig", None) or exc  # the driver's error, when there is one
                error = f"{type(cause).__name__}: {str(cause).splitlines()[0] if str(cause) else ''}"
                log.warning("task heartbeat failed", extra={"fields": {"replica": self.replica, "error": error}})

    def stop(self) -> None:
        """Stop the heartbeat: this process's unfinished tasks will be shown as interrupted."""
        self._stop.set()

    def _read(self, where: Any, limit: int = 1) -> list[Task]:
        """Tasks of `where`, newest first; an unfinished one whose process stopped beating is marked interrupted."""
        columns = [c for c in tasks.c if c.name not in {"result", "media_type", "replica"}]
        query = select(*columns).where(where, tasks.c.created >= self.clock() - self.keep_for)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query.order_by(tasks.c.created.desc()).limit(limit)).all()
        now = self.clock()
        stale = [r.id for r in rows if r.state in ACTIVE and r.heartbeat < now - self.stale_after]
        if stale:
            with self.store.writing() as conn:
                conn.execute(
                    update(tasks)
                    .where(
                        tasks.c.id.in_(stale) & tasks.c.state.in_(ACTIVE) & (tasks.c.heartbeat < now - self.stale_after)
                    )
                    .values(state=INTERRUPTED, error=render(LANG, Msg("web.task.interrupted")), finished=now)
                )
            return self._read(where, limit)
        return [Task(**{k: v for k, v in r._mapping.items() if k != "heartbeat"}) for r in rows]

    def get(self, tid: str, user: User) -> Task | None:
        """The task when it exists and belongs to `user` (else None: not found and not allowed look alike)."""
        found = self._read((tasks.c.id == tid) & (tasks.c.owner == user.username))
        return found[0] if found else None

    def mine(self, user: User, limit: int = 20) -> list[Task]:
        """The user's latest tasks, newest first."""
        return self._read(tasks.c.owner == user.username, limit)

    def file(self, tid: str, user: User) -> Made | None:
        """The file a finished task of `user` made."""
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(tasks.c.filename, tasks.c.media_type, tasks.c.result).where(
                    tasks.c.id == tid,
                    tasks.c.owner == user.username,
                    tasks.c.state == DONE,
                    tasks.c.created >= self.clock() - self.keep_for,
                )
            ).first()
        return Made(row.filename, row.media_type, row.result) if row else None
