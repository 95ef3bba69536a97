"""Under `CI=true` a skip of any kind is a failure that carries the skip's reason; elsewhere it stays a skip."""

from __future__ import annotations

import pytest

TESTS = """
import pytest

pytestmark = pytest.mark.filterwarnings("ignore")


def test_runs():
    assert True


def test_skips_inside():
    pytest.skip("LibreOffice is not installed")


@pytest.mark.skipif(True, reason="no Chromium at /usr/bin/chromium")
def test_skips_by_marker():
    pass


def test_imports_what_is_missing():
    pytest.importorskip("no_such_module_cgc")


@pytest.mark.xfail(reason="known", strict=True)
def test_expected_to_fail():
    assert False
"""
MODULE_SKIP = """
import pytest

pytest.importorskip("no_such_module_cgc", reason="PostgreSQL driver missing")


def test_never_collected():
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest("from tests.conftest import pytest_make_collect_report, pytest_runtest_makereport\n")
    pytester.makepyfile(test_checks=TESTS, test_module_skip=MODULE_SKIP)
    return pytester


def test_outside_ci_skips_stay_skips_and_are_listed(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = suite.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=4, xfailed=1)
    listed = {line.split(": ", 1)[1] for line in result.outlines if line.startswith("SKIPPED [1]")}
    assert listed == {
        "PostgreSQL driver missing",
        "LibreOffice is not installed",
        "no Chromium at /usr/bin/chromium",
        "could not import 'no_such_module_cgc': No module named 'no_such_module_cgc'",
    }


def test_on_ci_every_skip_fails_with_its_reason(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest("--continue-on-collection-errors")
    # a skip at setup (a skipif marker) or at collection (the module) fails as an error of that phase
    result.assert_outcomes(passed=1, failed=2, errors=2, xfailed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    for reason in (
        "LibreOffice is not installed",
        "no Chromium at /usr/bin/chromium",
        "could not import 'no_such_module_cgc'",
        "PostgreSQL driver missing",
    ):
        assert f"CI=true: a skip counts as a failure. {reason}" in out, reason
