"""The words of generated documents and packs: catalogue domains `documents` and `pack`, in Dutch."""

from __future__ import annotations

from ..i18n import Messages

LANG = "nl"  # documents are Dutch; only the catalogues hold their words
say = Messages(LANG)
