"""The only module that touches durable-rules; it owns the library's global state.

durable-rules keeps one host per process, a ruleset name can be registered only once, every
registered ruleset stays in memory until the process ends, and nothing is thread-safe. So:
- `_host()` creates the one host lazily, without the library's dispatch threads; every call
  runs the pending actions before it returns (`_drain`), under one lock;
- `register(name, specs)` turns plain rule specs (`Pattern`, `Ref`, `RuleSpec`: data, no
  durable-rules objects) into a ruleset once per name (callers put a content hash in the name,
  so a new corridor version gets a new ruleset and an old one is reused);
- a `Session` is one run under a fresh session id; its state is deleted when it closes, and
  actions reach the session's Python collector by the session id; every fact gets an `id`
  whose 32-bit hash is unique in its session (see `Session.identify`).
Limits found: a join may not refer to a field named `id` of an earlier fact (it silently never
matches); the left side of a comparison must be a plain field (`m.a > c.x.b - 7`, never
`m.a - 7 > …`); an alias may not be `s` or `m` (they name the session state and the message);
a fact that no rule looks at raises MessageNotHandledException (ignored here); the library's host
threads leave join actions pending after `assert_facts` returns (hence `_QuietHost` + `_drain`);
facts are filed under a 32-bit hash of their id and a colliding second fact is refused
(MessageObservedException); `delete_state` crashes the process (abort or segfault, depending on the heap) even after
clean runs, so a closed session's state is left in the engine until the process ends.
"""

from __future__ import annotations

import itertools
import json
import operator
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import reduce
from typing import Any

import durable_rules_engine
from durable import engine, lang

_LOCK = threading.RLock()
_REGISTERED: set[str] = set()
_SESSIONS: dict[str, Session] = {}
_SIDS = itertools.count(1)
_HOST: engine.Host | None = None


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


_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _value(v: Any) -> Any:
    if not isinstance(v, Ref):
        return v
    base = getattr(lang.m if v.alias is None else getattr(lang.c, v.alias), v.field)
    if isinstance(v.plus, Ref):
        return base + _value(v.plus)
    return base + v.plus if v.plus else base


def _pattern(p: Pattern) -> Any:
    expr = reduce(operator.and_, [_OPS[op](getattr(lang.m, f), _value(v)) for f, op, v in p.conds])
    return lang.none(expr) if p.negated else getattr(lang.c, p.alias) << expr


def _define(spec: RuleSpec) -> None:
    aliases = [p.alias for p in spec.patterns if not p.negated]

    def run(c: Any) -> None:
        facts = {a: getattr(c, a)._d for a in aliases}
        session = _SESSIONS[c.s.sid]
        spec.action(session.collector, facts, lambda fact: c.assert_fact(session.identify(fact)))

    run.__name__ = spec.name
    lang.when_all(*[_pattern(p) for p in spec.patterns])(run)


class _QuietHost(engine.Host):  # type: ignore[misc]  # durable-rules is untyped: Host is Any
    """A host without the library's background dispatch threads: `_drain` runs pending actions."""

    def _run(self) -> None:
        return None


def _host() -> engine.Host:
    global _HOST
    if _HOST is None:
        _HOST = _QuietHost()
    return _HOST


def _drain(name: str) -> None:
    """Run every pending action of ruleset `name` now, so results never depend on timing."""
    rs = _host().get_ruleset(name)
    errors: list[BaseException] = []
    while True:
        result = durable_rules_engine.start_action(rs._handle)
        if not result:
            break
        rs._flush_actions(
            json.loads(result[0]),
            {"message": json.loads(result[1])},
            result[2],
            lambda e, _r: errors.append(e) if e else None,
        )
        if errors:
            raise errors[0]


@contextmanager
def exclusive() -> Iterator[None]:
    """Hold the engine for a whole run: durable-rules keeps one global host that is not thread-safe,
    so a run started by one thread (a web request) never interleaves with another's. Re-entrant."""
    with _LOCK:
        yield


def register(name: str, specs: list[RuleSpec]) -> None:
    """Register ruleset `name` with these rules unless this process already has it."""
    with _LOCK:
        if name in _REGISTERED:
            return
        rs = lang.ruleset(name)
        with rs:
            for spec in specs:
                _define(spec)
        lang._rulesets.pop(name, None)  # keep the library's own host out of it
        _host().register_rulesets(dict([rs.define()]))
        _REGISTERED.add(name)


def registered() -> frozenset[str]:
    return frozenset(_REGISTERED)


def _fnv1a_32(text: str) -> int:
    """The hash the engine files a fact under (fnv1Hash32 of its id in durable-rules' state.c)."""
    h = 2166136261
    for b in text.encode("ascii"):
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def _quiet(call: Callable[[], Any]) -> None:
    """Run a host call; a fact no rule looks at is fine (the library raises for it)."""
    try:
        call()
    except engine.MessageNotHandledException:
        pass


class Session:
    """One run of a registered ruleset: facts and events under a fresh session id."""

    def __init__(self, ruleset: str, collector: Any):
        self.ruleset = ruleset
        self.collector = collector
        self.sid = f"run-{next(_SIDS)}"
        self._hashes: dict[int, str] = {}
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

    def assert_fact(self, fact: Fact) -> None:
        with _LOCK:
            _quiet(lambda: _host().assert_fact(self.ruleset, {**self.identify(fact), "sid": self.sid}))
            _drain(self.ruleset)

    def assert_facts(self, facts: list[Fact]) -> None:
        if facts:
            with _LOCK:
                _quiet(
                    lambda: _host().assert_facts(self.ruleset, [{**self.identify(f), "sid": self.sid} for f in facts])
                )
                _drain(self.ruleset)

    def retract_fact(self, fact: Fact) -> None:
        with _LOCK:
            _quiet(lambda: _host().retract_fact(self.ruleset, {**fact, "sid": self.sid}))
            self._hashes.pop(_fnv1a_32(fact["id"]), None)
            _drain(self.ruleset)

    def close(self) -> None:
        """Forget the session. Its state stays in the engine until the process ends: `delete_state`
        frees invalid pointers (abort or segfault) in durable-rules 2.0.28 even after clean runs."""
        with _LOCK:
            _SESSIONS.pop(self.sid, None)
