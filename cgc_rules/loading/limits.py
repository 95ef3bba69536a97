"""What one input file may hold, and the refusal of a limit or format rule broken at one place."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..i18n import Msg


@dataclass(frozen=True)
class Limits:
    """What one input file may hold; documented in docs/security.md."""

    max_bytes: int = 64 * 1024 * 1024
    max_lines: int = 2_000_000
    max_depth: int = 64
    max_items: int = 1_000_000
    max_nodes: int = 8_000_000
    max_yaml_nodes: int = 3_000_000
    """YAML costs about a microsecond a value to parse here, and as much again to place an error near the end:
    below half the JSON limit, a YAML file with an error in its last line is still answered within 10 s."""
    max_string: int = 100_000
    max_number: float = 1e15
    max_judged_items: int = 1_000
    """Machines, vehicles and demolition lines of one submission together: each is judged on its own by every
    rule about its kind (18 outcomes a vehicle with four rulesets), so 1,000 items already make about 18,000
    outcomes, a 15 MB JSON report and 8 s of table on one core."""


LIMITS = Limits()


class Refused(Exception):
    """A limit or format rule broken at one place of the file (0-based line and column)."""

    def __init__(self, msg: Msg, loc: Sequence[Any], line: int | None = None, column: int | None = None):
        super().__init__(msg.key)
        self.msg, self.loc, self.line, self.column = msg, list(loc), line, column
