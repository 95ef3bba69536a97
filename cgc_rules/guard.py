"""Guards at the edges: bounded number types, terminal-safe text, exit codes and the crash fence.

Exit codes mean one thing each (docs/security.md):
  0 compliant (or the command did its job), 1 not compliant, 2 bad input or usage,
  70 internal error (a bug: one line on the terminal, the details in a log file), 130 interrupted.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from .errors import CgcError

if TYPE_CHECKING:
    import click

EXIT_OK = 0
EXIT_NOT_COMPLIANT = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE in sysexits.h
EXIT_INTERRUPTED = 130

MAX_NUMBER = 1e15
"""Largest magnitude of any number read: sums over a million lines stay far from overflow."""


MIN_NUMBER = 1e-9
"""Smallest magnitude of a number other than 0: tinier ones (1e-320) break the rules engine's JSON and mean nothing."""


def _within_limit(value: float) -> float:
    if abs(value) > MAX_NUMBER:
        raise ValueError(f"number is larger than the limit of {MAX_NUMBER:g}")
    if value and abs(value) < MIN_NUMBER:
        raise ValueError(f"number is closer to 0 than {MIN_NUMBER:g}; write 0 or a meaningful amount")
    return value


Bounded = AfterValidator(_within_limit)  # a validator, not `le`: templates that list bounds stay as they were
Finite = Annotated[float, Field(allow_inf_nan=False), Bounded]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False), Bounded]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False), Bounded]
StrictFinite = Annotated[float, Field(strict=True, allow_inf_nan=False), Bounded]
"""A number written as a number: `"12"` is refused, not read as 12."""
MAX_PARAMETER = 1e6
"""Largest value of a numeric rules-of-play parameter (km, weeks, days): far above any real one."""
Name = Annotated[str, Field(min_length=1, max_length=200)]
"""A name shown in tables, documents and file names: short enough for every one of them."""

_FIELD_SETS: dict[frozenset[str], set[str]] = {}


class CompactModel(BaseModel):
    """A frozen model whose instances share one fields-set object per distinct set of given fields.

    pydantic keeps a fresh set per instance (216 bytes, about half a small model); a submission with a
    million material lines saves 200 MB. Only for frozen models: nothing mutates the shared set.
    """

    def model_post_init(self, context: Any, /) -> None:
        given = self.__pydantic_fields_set__
        shared = _FIELD_SETS.setdefault(frozenset(given), given)
        if shared is not given:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


def confined(base: Path, relative: str, roots: Sequence[Path]) -> Path | None:
    """`base/relative` with links followed, when it lies inside one of `roots`; None when it leaves them."""
    if not relative or "\0" in relative or Path(relative).is_absolute():
        return None
    try:
        target = (base / relative).resolve()
        inside = [root.resolve() for root in roots]
    except (OSError, RuntimeError, ValueError):
        return None
    return target if any(target.is_relative_to(root) for root in inside) else None


# ---------------------------------------------------------------- terminal text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
SHOWN_CHARS = 120


def plain(value: object, limit: int = SHOWN_CHARS) -> str:
    """Text from input made safe for a terminal: control characters replaced, shortened to `limit`."""
    text = _CONTROL.sub("\ufffd", str(value)).replace("\n", " ").replace("\t", " ")
    if len(text) > limit:
        keep = limit - 1
        text = text[: keep - keep // 3] + "…" + text[len(text) - keep // 3 :]
    return text


def terminal_text(value: object, limit: int = SHOWN_CHARS) -> str:
    """`plain` and escaped for rich: markup in a name is shown as written, never interpreted."""
    from rich.markup import escape

    return escape(plain(value, limit))


def terminal_view(data: Any, plain_keys: frozenset[str] = frozenset(), limit: int = 300, text_limit: int = 2000) -> Any:
    """A copy of report data for a rich console: every string escaped and shortened.

    Strings under `plain_keys` go into rich `Text` objects (never parsed as markup): they are only made
    plain and shortened to `text_limit`.
    """
    if isinstance(data, dict):
        return {
            k: (
                plain(v, text_limit)
                if k in plain_keys and isinstance(v, str)
                else terminal_view(v, plain_keys, limit, text_limit)
            )
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [terminal_view(v, plain_keys, limit, text_limit) for v in data]
    if isinstance(data, str):
        return terminal_text(data, limit)
    return data


# ---------------------------------------------------------------- the crash fence


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
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def guarded_main(main: click.Command, args: Sequence[str] | None = None, prog_name: str = "cgc") -> int:
    """Run a click command and turn every way it can end into one of the documented exit codes.

    Bad input (CgcError, click usage errors) → 2 with the message; an interrupt → 130; a closed pipe → 0
    quietly; anything else is an internal error → one line naming the log file with the details, exit 70.
    """
    import click

    argv = list(sys.argv[1:] if args is None else args)
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
        for problem in exc.problems:
            _say(f"error: {plain(problem, 2000)}")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK
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


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the interpreter's final flush cannot fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
