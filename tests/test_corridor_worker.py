"""durable-rules in its own process (`corridor.rete`, `corridor.worker`): crashes survived, workers recycled."""

from __future__ import annotations

import os
import signal
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from cgc_rules.cli import main
from cgc_rules.corridor import rete
from cgc_rules.corridor.engine import CorridorEngine
from cgc_rules.corridor.views import match_json
from cgc_rules.errors import CgcError
from cgc_rules.jobs import corridor as job
from cgc_rules.web.app import create_app
from cgc_rules.web.config import Config

AS_OF = date(2026, 5, 20)
EXAMPLE = job.directory("amersfoort-voorbeeld")


def _kill_worker() -> int:
    """Kill the current worker as a segfault in the C library would end it; its pid."""
    w = rete.current_worker()
    assert w is not None
    os.kill(w.pid, signal.SIGKILL)
    return w.pid


@pytest.fixture(scope="module")
def clean() -> str:
    """The example's matches as JSON from an undisturbed run."""
    return match_json(job.match(EXAMPLE, AS_OF, "en"))


def _kill_during_finish(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """Kill the worker at the start of `finish` (facts loaded, alerts not yet asked) in the first `times` runs."""
    killed: list[int] = []
    finish = CorridorEngine.finish

    def dying(self: CorridorEngine) -> object:
        if len(killed) < times:
            killed.append(_kill_worker())
        return finish(self)

    monkeypatch.setattr(CorridorEngine, "finish", dying)
    return killed


def test_a_worker_killed_during_a_run_is_replaced_and_the_run_retried(monkeypatch, clean):
    killed = _kill_during_finish(monkeypatch, 1)
    assert match_json(job.match(EXAMPLE, AS_OF, "en")) == clean
    w = rete.current_worker()
    assert len(killed) == 1
    assert w is not None
    assert w.pid != killed[0]
    assert w.dead is None


def test_a_worker_killed_between_runs_does_not_reach_the_next_request(clean):
    job.match(EXAMPLE, AS_OF, "en")
    killed = _kill_worker()
    assert match_json(job.match(EXAMPLE, AS_OF, "en")) == clean
    w = rete.current_worker()
    assert w is not None
    assert w.pid != killed


def test_a_worker_dying_twice_in_one_run_is_a_located_error(monkeypatch, clean):
    _kill_during_finish(monkeypatch, 2)
    with pytest.raises(CgcError) as exc:
        job.match(EXAMPLE, AS_OF, "en")
    assert str(exc.value) == (
        "corridor amersfoort-voorbeeld: the rules engine's process (durable-rules) stopped (signal SIGKILL) "
        "twice while running the rules of play; nothing was changed"
    )
    monkeypatch.undo()
    assert match_json(job.match(EXAMPLE, AS_OF, "en")) == clean  # and the next request is served


def test_the_cli_reports_a_dying_worker_with_exit_2(monkeypatch):
    _kill_during_finish(monkeypatch, 2)
    res = CliRunner().invoke(main, ["corridor", "match", "amersfoort-voorbeeld", "--as-of", "2026-05-20"])
    assert res.exit_code == 2, res.output
    assert "stopped (signal SIGKILL) twice while running the rules of play" in res.output


def test_the_web_page_says_what_happened_when_the_worker_dies_twice(monkeypatch, tmp_path: Path):
    client = TestClient(create_app(Config(database_url=str(tmp_path / "s.sqlite"), corridors_dir=tmp_path / "c")))
    ok = client.get("/corridor", params={"corridor": "amersfoort-voorbeeld", "datum": "2026-05-20"})
    assert ok.status_code == 200
    _kill_during_finish(monkeypatch, 2)
    res = client.get("/corridor", params={"corridor": "amersfoort-voorbeeld", "datum": "2026-05-21"})  # not kept
    assert res.status_code == 400
    assert "stopped (signal SIGKILL) twice" in res.text


def test_a_worker_is_retired_after_max_sessions_and_ends_with_its_last_session(monkeypatch):
    monkeypatch.setattr(rete, "MAX_SESSIONS", 3)
    rete._POOL.shutdown()
    workers = []
    for day in range(1, 8):
        job.match(EXAMPLE, date(2026, 5, day), "en")
        workers.append(rete.current_worker())
    pids = [w.pid for w in workers if w is not None]
    assert len(pids) == 7
    assert len(set(pids)) == 3
    assert pids[0:3] == [pids[0]] * 3
    assert pids[3:6] == [pids[3]] * 3
    assert pids[6] not in pids[:6]
    assert [w.started for w in (workers[0], workers[3], workers[6]) if w is not None] == [3, 3, 1]
    assert all(w is not None and w.proc.poll() is not None for w in (workers[0], workers[3]))
    assert workers[6] is not None
    assert workers[6].proc.poll() is None


def test_a_retired_worker_serves_its_open_session_to_the_end(monkeypatch):
    monkeypatch.setattr(rete, "MAX_SESSIONS", 1)
    fired: list[str] = []
    rete.register(
        "test-retire",
        [
            rete.RuleSpec(
                "seen",
                (rete.Pattern("x", (("t", "==", "x"),)),),
                lambda sink, f, add: sink.append(f["x"]["key"]),
            )
        ],
    )
    first = rete.Session("test-retire", fired)
    second = rete.Session("test-retire", fired)  # the first worker is spent: a new one
    assert first.worker is not second.worker
    assert first.worker.retired
    first.assert_fact({"t": "x", "key": "a"})
    second.assert_fact({"t": "x", "key": "b"})
    assert fired == ["a", "b"]
    first.close()
    assert first.worker.proc.poll() is not None
    assert second.worker.proc.poll() is None
    second.close()


def test_a_bound_on_bytes_retires_a_worker_too(monkeypatch):
    monkeypatch.setattr(rete, "MAX_BYTES", 1)
    job.match(EXAMPLE, AS_OF, "en")
    before = rete.current_worker()
    job.match(EXAMPLE, AS_OF, "en")
    after = rete.current_worker()
    assert before is not None
    assert after is not None
    assert before.rss > 1
    assert before.pid != after.pid


def test_what_an_action_asserts_goes_back_to_the_worker_and_fires_further_rules():
    seen: list[tuple[str, str]] = []
    rete.register(
        "test-chain",
        [
            rete.RuleSpec(
                "order",
                (rete.Pattern("o", (("t", "==", "order"), ("tonnes", ">", 10))),),
                lambda sink, f, add: add({"t": "big", "key": f["o"]["key"], "tonnes": f["o"]["tonnes"]}),
            ),
            rete.RuleSpec(
                "big",
                (rete.Pattern("b", (("t", "==", "big"),)), rete.Pattern("lim", (("t", "==", "limit"),))),
                lambda sink, f, add: sink.append(("big", f["b"]["key"])),
            ),
        ],
    )
    s = rete.Session("test-chain", seen)
    try:
        s.assert_facts([{"t": "limit", "key": "l"}, {"t": "order", "key": "o1", "tonnes": 12}])
        s.assert_fact({"t": "order", "key": "o2", "tonnes": 8})
        assert seen == [("big", "o1")]
    finally:
        s.close()


def test_a_refused_request_names_the_library_exception():
    s = rete.Session("never-registered", None)
    try:
        with pytest.raises(rete.EngineError, match="never-registered"):
            s.assert_fact({"t": "x", "key": "a"})
    finally:
        s.close()
