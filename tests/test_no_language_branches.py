"""No wording decided in code: what differs between languages lives in the catalogues and the language registry."""

from __future__ import annotations

import re

from .conftest import ROOT

BRANCH = re.compile(r"""[=!]=\s*["'](?:nl|en)["']|\blang\s*==\s*""")


def branches() -> list[str]:
    """`path:line: text` for every language branch in the package (none is allowed, not even in `i18n`)."""
    out = []
    for path in sorted((ROOT / "cgc_rules").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if BRANCH.search(line):
                out.append(f"{name}:{number}: {line.strip()}")
    return out


def test_the_pattern_finds_each_form_of_branch():
    for line in ('x if lang == "nl" else y', "if lang != 'nl':", 'n.lang == "en"', "lang ==code"):
        assert BRANCH.search(line), line
    assert not BRANCH.search('LANGUAGES = ("nl", "en")')
    assert not BRANCH.search('for code in ("nl", "en")')


def test_no_language_branches_anywhere():
    assert branches() == []
