"""The cyclic collector is paused while a submission is validated and runs again afterwards, as it ran before."""

from __future__ import annotations

import gc
import weakref

import pytest
from pydantic import ValidationError

from cgc_rules import collector
from cgc_rules.collector import collector_paused
from cgc_rules.submission import Submission

from .conftest import road


def test_validation_leaves_the_collector_running():
    Submission.model_validate(road(materials=[{"name": "zand", "mass_t": 1, "origin": "primair"}]))
    assert gc.isenabled()
    with pytest.raises(ValidationError):
        Submission.model_validate(road(materials=[{"name": "zand", "mass_t": -1, "origin": "primair"}]))
    assert gc.isenabled()


def test_overlapping_pauses_resume_when_the_last_ends():
    first, second = collector_paused(), collector_paused()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the second pause is still on
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


class _Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cyclic collector frees it


def test_a_kept_pause_freezes_only_in_a_process_that_ends_with_its_command(monkeypatch: pytest.MonkeyPatch):
    with collector_paused(keep=True):
        made = weakref.ref(_Node())
    gc.collect()
    assert made() is None  # a server's or a test's process: the collector frees what the pause made
    monkeypatch.setattr(collector, "_one_shot", True)
    try:
        with collector_paused(keep=True):
            kept = weakref.ref(_Node())
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert kept() is not None  # frozen: the collector no longer walks it
    finally:
        gc.unfreeze()
    gc.collect()
    assert kept() is None
