"""The only URL fetcher WeasyPrint gets: every page it renders carries its resources inside (`data:` URLs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher


def inline_only() -> URLFetcher:
    """A URL fetcher that serves `data:` URLs and refuses every other scheme: no file read, no request made."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
