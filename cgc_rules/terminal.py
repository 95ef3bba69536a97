"""Text from input made safe for a terminal: control characters replaced, shortened, rich markup escaped."""

from __future__ import annotations

import re
from typing import Any

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
