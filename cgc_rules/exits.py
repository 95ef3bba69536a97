"""Exit codes and the crash fence around every command.

Exit codes mean one thing each (docs/security.md):
  0 compliant (or the command did its job), 1 not compliant, 2 bad input or usage,
  70 internal error (a bug: one line on the terminal, the details in a log file), 130 interrupted.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CgcError
from .terminal import plain

if TYPE_CHECKING:
    import click

EXIT_OK = 0
EXIT_NOT_COMPLIANT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE in sysexits.h
EXIT_INTERRUPTED = 130
SHOWN_ERRORS = 50  # errors printed for one command; the rest are counted (docs/security.md)


def state_dir() -> Path:
    """Where crash logs go: $CGC_STATE_DIR, else $XDG_STATE_HOME/cgc-rules, else ~/.local/state/cgc-rules."""
    if env := os.environ.get("CGC_STATE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "cgc-rules"


def log_crash(exc: BaseException, argv: Sequence[str]) -> Path | None:
    """Write the traceback of an internal error to a log file; its path, or None when nothing is writable."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    body = f"cgc internal error at {stamp}\nargv: {list(argv)!r}\npython: {sys.version.split()[0]}\n\n" + "".join(
        traceback.format_exception(exc)
    )
    for folder in (state_dir(), Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f"cgc-crash-{stamp}-", suffix=".log", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(body)
            return Path(name)
        except OSError:
            continue
    return None


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(message, file=sys.stderr, flush=True)


def say_problems(problems: Sequence[object], limit: int = SHOWN_ERRORS) -> None:
    """The first `limit` errors on standard error, then how many more there are."""
    for problem in problems[:limit]:
        _say(f"error: {plain(problem, 2000)}")
    if len(problems) > limit:
        _say(f"error: … and {len(problems) - limit} more errors")


def safe_streams() -> None:
    """Standard output and error never fail on a character their encoding lacks: it is written escaped."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(OSError, ValueError):
                reconfigure(errors="backslashreplace")


def guarded_main(main: click.Command, args: Sequence[str] | None = None, prog_name: str = "cgc") -> int:
    """Run a click command and turn every way it can end into one of the documented exit codes.

    Bad input (CgcError, click usage errors, a NUL in an argument, an operating-system error naming a
    path the command was given) → 2 with the message; an interrupt → 130; a closed pipe → 0 quietly;
    anything else is an internal error → one line naming the log file with the details, exit 70.
    """
    import click

    argv = list(sys.argv[1:] if args is None else args)
    safe_streams()
    for n, arg in enumerate(argv, start=1):
        if "\0" in arg:
            _say(f"error: argument {n} ({plain(arg)}): contains a NUL character, which no file name or value may hold")
            return EXIT_BAD_INPUT
    try:
        result = main.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except SystemExit as exc:
        return _exit_code(exc.code)
    except click.exceptions.Exit as exc:
        return _exit_code(exc.exit_code)
    except click.Abort:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        _say("interrupted")
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT
    except CgcError as exc:
        say_problems(exc.problems)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        quiet_stdout()
        return EXIT_OK
    except OSError as exc:
        if exc.filename is None:
            return internal_error(exc, argv)
        _say(f"error: {plain(exc.filename, 2000)}: cannot use this path: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the fence: every other exception is a bug, logged
        return internal_error(exc, argv)
    return _exit_code(result)


def internal_error(exc: BaseException, argv: Sequence[str]) -> int:
    """Log the traceback, print one line saying where, and give the internal-error exit code."""
    where = log_crash(exc, argv)
    kind = type(exc).__name__
    if isinstance(exc, MemoryError):
        _say("error: out of memory; the input is too large for this machine")
    else:
        _say(
            f"internal error ({kind}): this is a bug in cgc, not in your input"
            + (f"; details in {where}" if where else "")
        )
    return EXIT_INTERNAL


def _exit_code(code: object) -> int:
    """The exit code of SystemExit/Exit or a command's result: an int is the code, anything else is success."""
    if code is None:
        return EXIT_OK
    if isinstance(code, bool):
        return int(code)
    if isinstance(code, int):
        return code
    return EXIT_OK


def quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
