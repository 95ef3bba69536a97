"""The message catalogues: complete in every language, fields the same, and readable."""

from __future__ import annotations

import string

import pytest

from cgc_rules import i18n


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_the_same_domains():
    assert i18n.domains("nl") == i18n.domains("en")
    assert "common" in i18n.domains("nl")


@pytest.mark.parametrize("domain", i18n.domains("nl"))
def test_no_key_missing_in_either_language_and_fields_agree(domain):
    nl, en = i18n.catalogue("nl", domain), i18n.catalogue("en", domain)
    assert sorted(set(nl) - set(en)) == [], "keys in nl without English"
    assert sorted(set(en) - set(nl)) == [], "keys in en without Dutch"
    for key in nl:
        assert key.startswith(domain + "."), key
        assert _fields(nl[key]) == _fields(en[key]), key


def test_text_fills_fields_and_names_a_missing_key():
    assert i18n.text("nl", "common.status.fail") == "voldoet niet"
    assert i18n.Messages("en")("common.project_type.openbare_ruimte") == "public space"
    with pytest.raises(i18n.MessageMissing, match="common.status.nope"):
        i18n.text("nl", "common.status.nope")
    assert not i18n.has("en", "common.status.nope") and i18n.has("en", "common.status.pass")


def test_render_writes_fields_in_the_language_notation():
    msg = i18n.Msg("common.status.pass")
    assert i18n.render("en", msg) == "pass"
    from cgc_rules.units import show

    assert show(62.0, "%", "nl") == "62,0\u00a0%" and show(62.0, "%", "en") == "62.0%"
    assert show(3, "weeks", "nl") == "3 weken" and show(True, None, "en") == "yes"
    assert show(2026, "year", "nl") == "2026" and show(5, "count", "en") == "5"
    assert show(1234.5, "t", "nl") == "1.234,5\u00a0t"
