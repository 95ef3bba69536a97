"""The corridor's rules of play on durable-rules, run in a worker process that this module owns.

durable-rules keeps one host per process, registers a ruleset name once, keeps every session's
state until the process ends (`delete_state` crashes it) and is not thread-safe; a fault in its C
library ends the process. So it runs in a child process (`worker`), and this module:
- keeps the rules as plain data (`Pattern`, `Ref`, `RuleSpec`) and their actions, which run here on
  the rules the worker reports fired (an action's `assert_fact` goes back to the worker);
- `register(name, specs)` files a ruleset once per name (callers put a content hash in the name);
  each worker gets it on its first session that needs it;
- a `Session` is one run under a fresh session id on the worker current when it opened; every
  fact gets an `id` whose 32-bit hash is unique in its session (see `Session.identify`);
- retires a worker after `MAX_SESSIONS` sessions or once it holds `MAX_BYTES` resident (it ends
  when its last open session closes; new sessions go to a fresh one), so the sessions' state that
  durable-rules cannot free is freed with the process;
- turns a worker that stops into `WorkerCrashed` (a CgcError naming the signal and the library's
  last words); the next session gets a fresh worker. `engine` retries a whole run once.
One worker per client process, started by `start()` (the CLI calls it before the corridor job's
modules load, so the two start-ups overlap) or by the first session, and stopped at exit (or when the
client dies: the worker ends at the end of its input); a forked child starts its own.
Limits found: a join may not refer to a field named `id` of an earlier fact (it silently never
matches); the left side of a comparison must be a plain field (`m.a > c.x.b - 7`, never
`m.a - 7 > …`); an alias may not be `s` or `m` (they name the session state and the message);
facts are filed under a 32-bit hash of their id and a colliding second fact is refused
(MessageObservedException).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import importlib.util
import itertools
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CgcError
from .frames import read, write

MAX_SESSIONS = 100  # sessions per worker: the example corridor leaves about 0.2 MB each
MAX_BYTES = 256 * 2**20  # resident bytes after which a worker takes no new session


@functools.cache
def _worker_path() -> list[str]:
    """Where the worker finds this package and durable-rules: it starts without `site` (-S), which would
    cost it more than importing durable-rules does."""
    dirs = [str(Path(__file__).resolve().parents[2])]
    for name in ("durable", "durable_rules_engine"):
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            raise RuntimeError(f"{name} is not installed")
        where = Path(origin).parent
        dirs.append(str(where.parent if name == "durable" else where))
    return list(dict.fromkeys(dirs))


@dataclass(frozen=True)
class Ref:
    """The value of `field` on the fact bound to `alias` (None: the fact being matched), plus `plus`."""

    alias: str | None
    field: str
    plus: float | Ref = 0


Cond = tuple[str, str, Any]  # (field of the matched fact, operator, constant or Ref)
Fact = dict[str, Any]  # a fact or event as durable-rules takes it: a JSON object with `t`, `key` and fields


@dataclass(frozen=True)
class Pattern:
    """A fact to match, bound to `alias` for later patterns and the action; `negated`: none may exist."""

    alias: str
    conds: tuple[Cond, ...]
    negated: bool = False


Action = Callable[[Any, dict[str, Fact], Callable[[Fact], None]], None]


@dataclass(frozen=True)
class RuleSpec:
    """A rule as data: all `patterns` match -> `action(sink, facts by alias, assert_fact)`."""

    name: str
    patterns: tuple[Pattern, ...]
    action: Action


class WorkerCrashed(CgcError):
    """The rules engine's process stopped (a fault in durable-rules' C library, or it was killed)."""


class EngineError(RuntimeError):
    """durable-rules refused a request (a bug here, not bad input): the library's exception type and message."""


_SPECS: dict[str, dict[str, RuleSpec]] = {}  # registered rulesets: rule name -> rule
_SESSIONS: dict[str, Session] = {}
_SIDS = itertools.count(1)
_LOCK = threading.Lock()


def _plain(v: Any) -> Any:
    """A condition's value as the worker takes it: a constant, or ("ref", alias, field, plus)."""
    return ("ref", v.alias, v.field, _plain(v.plus)) if isinstance(v, Ref) else v


def _rules(name: str) -> list[tuple[str, list[tuple[str, bool, list[Cond]]]]]:
    return [
        (spec.name, [(p.alias, p.negated, [(f, op, _plain(v)) for f, op, v in p.conds]) for p in spec.patterns])
        for spec in _SPECS[name].values()
    ]


class Worker:
    """One worker process: requests one at a time, the rulesets it has, its sessions."""

    def __init__(self) -> None:
        self.owner = os.getpid()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's stderr, open for the worker's life
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(_worker_path())}
        self.proc = subprocess.Popen(
            [sys.executable, "-S", "-m", "cgc_rules.corridor.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self.pid = self.proc.pid
        self.registered: set[str] = set()
        self.started = 0  # sessions opened on it
        self.open = 0  # sessions not closed yet
        self.rss = 0  # resident bytes when a session last closed
        self.retired = False
        self.dead: str | None = None  # why it stopped, once it has
        self._lock = threading.Lock()

    def spent(self) -> bool:
        return self.started >= MAX_SESSIONS or self.rss >= MAX_BYTES

    def request(self, *message: Any) -> Any:
        with self._lock:
            if self.dead is not None:
                raise WorkerCrashed(self.dead)
            try:
                assert self.proc.stdin is not None
                assert self.proc.stdout is not None
                write(self.proc.stdin, message)
                reply = read(self.proc.stdout)
            except OSError:
                reply = None
            if reply is None:
                self.dead = self._why()
                self.stop()
                raise WorkerCrashed(self.dead)
        if reply[0] == "error":
            raise EngineError(f"{reply[1]}: {reply[2]}")
        return reply[1]

    def call(self, ruleset: str, kind: str, arg: Any) -> list[tuple[str, str, dict[str, Any]]]:
        """Assert or retract on `ruleset`, registering it first if this worker has not got it; the rules fired."""
        if ruleset not in self.registered and ruleset in _SPECS:
            self.request("register", ruleset, _rules(ruleset))
            self.registered.add(ruleset)
        fired: list[tuple[str, str, dict[str, Any]]] = self.request(kind, ruleset, arg)
        return fired

    def _why(self) -> str:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        how = (
            f"signal {signal.Signals(-code).name}"
            if code is not None and code < 0
            else f"exit code {code}"
            if code is not None
            else "no answer"
        )
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        said = f": {lines[-1][:200]}" if lines else ""
        return f"the rules engine's process (durable-rules) stopped ({how}{said})"

    def closed_one(self) -> None:
        """A session of this worker closed: note its size; a retired worker ends with its last session."""
        self.open -= 1
        if self.dead is None and not self.retired:
            with contextlib.suppress(WorkerCrashed):  # the next session gets a fresh worker
                self.rss = int(self.request("rss"))
        if self.retired and self.open == 0:
            self.stop()

    def stop(self) -> None:
        if self.owner != os.getpid():
            return  # a forked child's copy: the process belongs to the parent
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):  # a request left unsent in the buffer of a dead pipe
                    stream.close()
        self._stderr.close()


class _Pool:
    """The current worker of this process; a spent or dead one is replaced when a session opens."""

    def __init__(self) -> None:
        self.worker: Worker | None = None
        atexit.register(self.shutdown)

    def start(self) -> None:
        with _LOCK:
            w = self.worker
            if w is None or w.dead is not None or w.owner != os.getpid():
                self.worker = Worker()

    def session_opened(self) -> Worker:
        with _LOCK:
            w = self.worker
            if w is None or w.dead is not None or w.owner != os.getpid() or w.spent():
                if w is not None and w.owner == os.getpid() and w.dead is None:
                    w.retired = True
                    if w.open == 0:
                        w.stop()
                w = self.worker = Worker()
            w.started += 1
            w.open += 1
            return w

    def session_closed(self, w: Worker) -> None:
        with _LOCK:
            w.closed_one()

    def shutdown(self) -> None:
        with _LOCK:
            if self.worker is not None:
                self.worker.stop()
                self.worker = None


_POOL = _Pool()


def register(name: str, specs: list[RuleSpec]) -> None:
    """File ruleset `name` with these rules unless it is filed already (workers get it when they need it)."""
    with _LOCK:
        _SPECS.setdefault(name, {spec.name: spec for spec in specs})


def registered() -> frozenset[str]:
    return frozenset(_SPECS)


def start() -> None:
    """Start this process's worker now unless it runs, so its start overlaps the caller's loading."""
    _POOL.start()


def current_worker() -> Worker | None:
    """The worker new sessions go to, if one runs."""
    return _POOL.worker


def _fnv1a_32(text: str) -> int:
    """The hash the engine files a fact under (fnv1Hash32 of its id in durable-rules' state.c)."""
    h = 2166136261
    for b in text.encode("ascii"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


class Session:
    """One run of a registered ruleset: facts and events under a fresh session id, on one worker."""

    def __init__(self, ruleset: str, collector: Any):
        self.ruleset = ruleset
        self.collector = collector
        self.sid = f"run-{next(_SIDS)}"
        self._hashes: dict[int, str] = {}
        self.worker = _POOL.session_opened()
        self._open = True
        _SESSIONS[self.sid] = self

    def identify(self, fact: Fact) -> Fact:
        """Give `fact` (in place) an `id` whose 32-bit hash no other live fact of the session has.

        Without one the engine files a fact under a hash of its content and refuses a second fact
        whose hash collides ("MessageObservedException", rules issue #376): with 100,000 facts
        that happens.
        """
        if "id" in fact:
            self._hashes[_fnv1a_32(fact["id"])] = fact["id"]
            return fact
        base = f"{fact['t']}:{fact['key']}"
        ident, n, h = base, 0, _fnv1a_32(base)
        while h in self._hashes:
            n += 1
            ident = f"{base}~{n}"
            h = _fnv1a_32(ident)
        fact["id"] = ident
        self._hashes[h] = ident
        return fact

    def _send(self, kind: str, arg: Any) -> None:
        """One request; then the actions of the rules it fired, here (what they assert goes in next)."""
        added: list[Fact] = []
        for rule, sid, facts in self.worker.call(self.ruleset, kind, arg):
            session = _SESSIONS[sid]
            _SPECS[session.ruleset][rule].action(session.collector, facts, added.append)
        if added:
            self.assert_facts(added)

    def assert_fact(self, fact: Fact) -> None:
        self._send("assert", {**self.identify(fact), "sid": self.sid})

    def assert_facts(self, facts: list[Fact]) -> None:
        if facts:
            self._send("assert", [{**self.identify(f), "sid": self.sid} for f in facts])

    def retract_fact(self, fact: Fact) -> None:
        self._send("retract", {**fact, "sid": self.sid})
        self._hashes.pop(_fnv1a_32(fact["id"]), None)

    def close(self) -> None:
        """Forget the session; its state goes with its worker's process."""
        if self._open:
            self._open = False
            _SESSIONS.pop(self.sid, None)
            _POOL.session_closed(self.worker)
