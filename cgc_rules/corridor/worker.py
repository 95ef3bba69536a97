"""The rules engine's own process: the only module that imports durable-rules.

`rete` starts this module as a child process (`python -m cgc_rules.corridor.worker`: it imports
nothing else of the package but `frames`) and talks to it over its stdin and stdout (`frames`:
a length and a pickle of plain data: tuples, lists, dicts, strings, numbers).

Requests and their replies:
- `("register", name, rules)`: rules are `(rule name, patterns)`, a pattern `(alias, negated, conds)`,
  a condition `(field, operator, value)`, a value a constant or `("ref", alias, field, plus)` → None;
- `("assert", name, fact or facts)` / `("retract", name, fact)` → the rules fired, `(rule name, session id,
  facts by alias)`, in firing order: the actions run in the client, never here;
- `("rss",)` → this process's resident bytes (the client recycles the process past a bound).
A reply is `("ok", value)` or `("error", exception type, message)`. End of input ends the process.

durable-rules keeps one host per process, registers a ruleset name once, keeps every session's
state until the process ends (`delete_state` frees invalid pointers: abort or segfault), leaves join
actions pending after `assert_facts` returns when its dispatch threads run, and is not thread-safe.
Here it runs single-threaded on a host without those threads; `_drain` runs the pending actions
before each reply. A fact no rule looks at raises MessageNotHandledException (ignored).
"""

from __future__ import annotations

import contextlib
import json
import operator
import os
import signal
from functools import reduce
from typing import Any

import durable_rules_engine
from durable import engine, lang

from .frames import read, write

Firing = tuple[str, str, dict[str, Any]]  # rule name, session id, facts by alias

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


class _QuietHost(engine.Host):  # type: ignore[misc]  # durable-rules is untyped: Host is Any
    """A host without the library's background dispatch threads: `_drain` runs pending actions."""

    def _run(self) -> None:
        return None


class Engine:
    """The one durable-rules host of this process and the rules fired since the last request."""

    def __init__(self) -> None:
        self.host = _QuietHost()
        self.fired: list[Firing] = []

    def _value(self, v: Any) -> Any:
        if not (isinstance(v, tuple) and v and v[0] == "ref"):
            return v
        _, alias, field, plus = v
        base = getattr(lang.m if alias is None else getattr(lang.c, alias), field)
        if isinstance(plus, tuple):
            return base + self._value(plus)
        return base + plus if plus else base

    def _pattern(self, alias: str, negated: bool, conds: list[tuple[str, str, Any]]) -> Any:
        expr = reduce(operator.and_, [_OPS[op](getattr(lang.m, f), self._value(v)) for f, op, v in conds])
        return lang.none(expr) if negated else getattr(lang.c, alias) << expr

    def _action(self, rule_name: str, patterns: list[tuple[str, bool, list[Any]]]) -> Any:
        """The rule's action here: note that it fired, with its facts (durable-rules takes one argument)."""
        aliases = [alias for alias, negated, _ in patterns if not negated]

        def run(c: Any) -> None:
            self.fired.append((rule_name, c.s.sid, {a: getattr(c, a)._d for a in aliases}))

        run.__name__ = rule_name
        return run

    def register(self, name: str, rules: list[tuple[str, list[tuple[str, bool, list[Any]]]]]) -> None:
        rs = lang.ruleset(name)
        with rs:
            for rule_name, patterns in rules:
                lang.when_all(*[self._pattern(*p) for p in patterns])(self._action(rule_name, patterns))
        lang._rulesets.pop(name, None)  # keep the library's own host out of it
        self.host.register_rulesets(dict([rs.define()]))

    def _drain(self, name: str) -> None:
        """Run every pending action of ruleset `name` now, so results never depend on timing."""
        rs = self.host.get_ruleset(name)
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

    def call(self, name: str, method: str, arg: Any) -> list[Firing]:
        self.fired = []
        with contextlib.suppress(engine.MessageNotHandledException):
            getattr(self.host, method)(name, arg)
        self._drain(name)
        return self.fired


def rss() -> int:
    """Resident bytes of this process."""
    with open("/proc/self/statm", "rb") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def handle(eng: Engine, request: tuple[Any, ...]) -> Any:
    kind = request[0]
    if kind == "register":
        return eng.register(request[1], request[2])
    if kind == "assert":
        facts = request[2]
        return eng.call(request[1], "assert_facts" if isinstance(facts, list) else "assert_fact", facts)
    if kind == "retract":
        return eng.call(request[1], "retract_fact", request[2])
    if kind == "rss":
        return rss()
    raise ValueError(f"unknown request {kind!r}")


def main() -> None:
    """Serve requests from stdin until it closes; the protocol's stdout is kept apart from anything printed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the client, which ends this process
    inp = os.fdopen(os.dup(0), "rb")
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    eng = Engine()
    while (request := read(inp)) is not None:
        try:
            reply: tuple[Any, ...] = ("ok", handle(eng, request))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the client, which raises it
            reply = ("error", type(exc).__name__, str(exc))
        write(out, reply)


if __name__ == "__main__":
    main()
