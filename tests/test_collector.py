"""The cyclic collector is paused while a submission is validated and runs again afterwards, as it ran before."""

from __future__ import annotations

import gc

import pytest
from pydantic import ValidationError

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
