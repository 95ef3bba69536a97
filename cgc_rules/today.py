"""Today as a Dutch client sees it: the calendar day in Europe/Amsterdam, whatever the machine's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def today_nl() -> date:
    """The calendar day in Europe/Amsterdam now; a default date never depends on the machine's TZ."""
    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()
