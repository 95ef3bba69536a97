"""The crash fence, the exit codes, terminal-safe text, bounded numbers and clean atomic writes (issue 18)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from cgc_rules import output
from cgc_rules.errors import CgcError
from cgc_rules.exits import EXIT_INTERNAL, guarded_main, log_crash
from cgc_rules.fields import CompactModel, NonNegative
from cgc_rules.terminal import SHOWN_CHARS, plain, terminal_text

ROOT = Path(__file__).resolve().parent.parent


@click.group()
def toy() -> None:
    """A toy command line."""


@toy.command()
@click.argument("what")
def run(what: str) -> None:
    if what == "bug":
        raise KeyError("boom")
    if what == "bad":
        raise CgcError("bad input here")
    if what == "fail":
        raise SystemExit(1)
    if what == "pipe":
        raise BrokenPipeError
    if what == "interrupt":
        raise KeyboardInterrupt
    click.echo("ok")


@pytest.mark.parametrize(
    ("what", "code"), [("fine", 0), ("fail", 1), ("bad", 2), ("bug", 70), ("pipe", 0), ("interrupt", 130)]
)
def test_every_ending_has_its_exit_code(what, code, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CGC_STATE_DIR", str(tmp_path))
    assert guarded_main(toy, ["run", what]) == code
    assert "Traceback" not in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    assert guarded_main(toy, ["run"]) == 2
    assert guarded_main(toy, ["nope"]) == 2
    assert guarded_main(toy, ["--help"]) == 0


def test_an_internal_error_prints_one_line_and_logs_the_details(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CGC_STATE_DIR", str(tmp_path / "state"))
    assert guarded_main(toy, ["run", "bug"]) == EXIT_INTERNAL
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "internal error (KeyError)" in err[0]
    logs = list((tmp_path / "state").glob("cgc-crash-*.log"))
    assert len(logs) == 1
    assert str(logs[0]) in err[0]
    assert "Traceback" in logs[0].read_text()
    assert "KeyError: 'boom'" in logs[0].read_text()


def test_an_unwritable_state_dir_falls_back_to_the_temp_dir(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("CGC_STATE_DIR", str(blocker / "state"))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    where = log_crash(RuntimeError("x"), [])
    assert where is not None
    assert where.parent == tmp_path


@pytest.mark.parametrize("name", ["[/bold]", "[bold]styled[/bold]", "[link=file:///etc/passwd]x[/link]"])
def test_markup_in_a_name_is_shown_as_written(name):
    from rich.console import Console
    from rich.table import Table

    table = Table()
    table.add_column("name")
    table.add_row(terminal_text(name))
    console = Console(record=True, width=60, color_system="truecolor", force_terminal=True)
    console.print(table)
    assert name in console.export_text()
    assert "\x1b[1m" not in console.export_text(styles=True)


def test_control_characters_and_long_values_are_made_safe():
    assert plain("a\x1b[31mred\x07\u202eb") == "a\ufffd[31mred\ufffd\ufffdb"
    shown = plain("x" * 300_000 + "END")
    assert len(shown) == SHOWN_CHARS
    assert shown.endswith("END")
    assert "…" in shown


class _Line(CompactModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    mass_t: NonNegative
    note: str | None = None


def test_bounded_numbers_refuse_huge_and_non_finite_values():
    for bad in (1e308, float("inf"), float("nan"), -1.0, "1e308"):
        with pytest.raises(ValidationError):
            _Line(mass_t=bad)
    assert _Line(mass_t="12.5").mass_t == 12.5


def test_compact_models_share_their_fields_set():
    a, b, c = _Line(mass_t=1), _Line(mass_t=2), _Line(mass_t=3, note="x")
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__ == {"mass_t"}
    assert c.__pydantic_fields_set__ == {"mass_t", "note"}
    assert a.model_copy(update={"note": "y"}).__pydantic_fields_set__ >= {"note"}
    assert b.__pydantic_fields_set__ == {"mass_t"}


class _Plain(BaseModel):
    x: int


def test_write_errors_are_clear_messages(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CgcError, match="is not a directory"):
        output.write_atomic(blocker / "out.json", "{}")
    with pytest.raises(CgcError, match="file name too long"):
        output.write_atomic(tmp_path / ("n" * 300), "{}")
    with pytest.raises(CgcError, match="is a directory"):
        output.write_atomic(tmp_path, "{}")
    with pytest.raises(CgcError, match="does not exist"):
        output.write_atomic(tmp_path / "no" / "out.json", "{}")
    with pytest.raises(CgcError, match="not a directory"):
        output.make_dir(blocker)
    with pytest.raises(CgcError, match="cannot write: a part of the path is not a directory"):
        output.make_dir(blocker / "sub")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_a_full_disk_is_a_clear_message(tmp_path, monkeypatch):
    import errno

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(CgcError, match="no space left on the device"):
        output.write_atomic(tmp_path / "out.json", "{}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_between_write_and_rename_leaves_no_temporary_file(tmp_path, sig):
    # the child starts with Python's default handling of `sig`: under nohup SIGHUP is ignored, and the
    # writer rightly leaves an ignored signal alone
    default = "signal.default_int_handler" if sig == signal.SIGINT else "signal.SIG_DFL"
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        signal.signal({int(sig)}, {default})
        sys.path.insert(0, {str(ROOT)!r})
        from cgc_rules import output
        def slow(fd):
            print("writing", flush=True)
            time.sleep(30)
        os.fsync = slow
        output.write_atomic({str(tmp_path / "out.json")!r}, "{{}}")
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"writing\n"
    assert any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
    proc.send_signal(sig)
    proc.wait(timeout=20)
    assert list(tmp_path.iterdir()) == []


def test_a_reader_that_stops_early_ends_the_command_quietly_with_0():
    """`cgc … | head`: the closed pipe reaches click, which on its own would end with 1 ("not compliant")."""
    args = ["evaluate", str(ROOT / "examples"), "--format", "jsonl", "-r", "hnn-gww@2026.1"]
    script = "import sys; from cgc_rules.cli import run; sys.argv[1:] = " + repr(args) + "; run()"
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    assert proc.stdout.read(10) == b'{"input":"'  # the output is longer than a pipe holds: the writer meets the close
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
