"""The message catalogues: every registered language complete against the source language, and readable."""

from __future__ import annotations

import string
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from cgc_rules import i18n
from cgc_rules.kinds import KINDS
from cgc_rules.languages import LANGUAGES, SOURCE, language
from cgc_rules.ruleset import Text
from cgc_rules.units import WRITTEN

OTHERS = [lang for lang in LANGUAGES if lang != SOURCE]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_registry_starts_with_dutch_and_has_no_code_twice():
    assert SOURCE == "nl"
    assert LANGUAGES[0] == SOURCE
    assert "en" in OTHERS
    assert len(set(LANGUAGES)) == len(LANGUAGES)
    with pytest.raises(ValueError, match="unknown language 'xx'; use one of nl, en"):
        language("xx")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_source_languages_domains(lang):
    assert "common" in i18n.domains(SOURCE)
    assert i18n.domains(lang) == i18n.domains(SOURCE)


@pytest.mark.parametrize(("lang", "domain"), [(lang, d) for lang in OTHERS for d in i18n.domains(SOURCE)])
def test_every_key_of_the_source_language_is_in_each_language_with_the_same_fields(lang, domain):
    source, other = i18n.catalogue(SOURCE, domain), i18n.catalogue(lang, domain)
    assert sorted(set(source) - set(other)) == [], f"keys in {SOURCE} without {lang}"
    assert sorted(set(other) - set(source)) == [], f"keys in {lang} without {SOURCE}"
    for key in source:
        assert key.startswith(domain + "."), key
        assert _fields(source[key]) == _fields(other[key]), key


def test_every_indicator_and_unit_has_its_message():
    labels = [ind.label.key for kind in KINDS for ind in kind.indicators.values()]
    units = [u.message for u in WRITTEN.values() if u.message]
    assert len(labels) > 40
    assert [k for k in labels + units if not i18n.has(SOURCE, k)] == []


def test_text_fills_fields_and_names_a_missing_key():
    assert i18n.text("nl", "common.status.fail") == "voldoet niet"
    assert i18n.Messages("en")("common.project_type.openbare_ruimte") == "public space"
    with pytest.raises(i18n.MessageMissing, match="common.status.nope"):
        i18n.text("nl", "common.status.nope")
    assert not i18n.has("en", "common.status.nope")
    assert i18n.has("en", "common.status.pass")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.Messages("fr")


def test_show_writes_each_unit_in_the_language_notation():
    show = i18n.show
    assert show(62.0, "%", "nl") == "62,0\u00a0%"
    assert show(62.0, "%", "en") == "62.0%"
    assert show(0.1725, "eur_per_m2_year", "nl") == "€\u00a00,1725"
    assert show(0.17, "eur_per_m2_year", "en") == "€0.17"
    assert show(3, "weeks", "nl") == "3 weken"
    assert show(True, None, "en") == "yes"
    assert show(2026, "year", "nl") == "2026"
    assert show(5, "count", "en") == "5"
    assert show(1234.5, "t", "nl") == "1.234,5\u00a0t"
    assert show(0.41, "t", "en") == "0.5\u00a0t"
    assert show(19.84, "km", "nl") == "19,8\u00a0km"
    assert show(30, "days", "en") == "30 days"
    assert show(Decimal("8.12345"), "pts", "nl") == "8,1234 punten"
    assert show(Decimal("0.5"), None, "en") == "0.5"
    assert show(Decimal("14400"), "eur", "nl") == "€\u00a014.400,00"
    assert show(None, "%", "nl") == "—"
    assert show(date(2026, 3, 1), None, "nl") == "1 maart 2026"
    assert show([1.5, 2], None, "en") == "1.5, 2"


def test_render_writes_nested_messages_quantities_and_parts():
    lead = i18n.Msg("common.status.pass")
    msg = i18n.Msg("common.unit.weeks", {"value": i18n.Parts((lead, " / ", i18n.Qty(12.5, "%")))})
    assert i18n.render("nl", msg) == "voldoet / 12,5\u00a0% weken"
    assert i18n.render("en", msg) == "pass / 12.5% weeks"


def test_a_ruleset_text_needs_the_source_language_and_falls_back_to_it():
    both = Text.model_validate({"nl": "aandeel", "en": "share"})
    dutch = Text.model_validate({"nl": "aandeel"})
    assert (both.get("en"), dutch.get("en"), dutch.get("nl")) == ("share", "aandeel", "aandeel")
    assert both == Text.model_validate({"en": "share", "nl": "aandeel"}) != dutch
    assert hash(both) == hash(Text.model_validate({"en": "share", "nl": "aandeel"}))  # a ruleset part stays hashable
    with pytest.raises(ValidationError, match="the text in 'nl' .* is required"):
        Text.model_validate({"en": "share"})
    with pytest.raises(ValidationError, match="unknown language xx"):
        Text.model_validate({"nl": "aandeel", "xx": "?"})
    with pytest.raises(ValidationError):
        Text.model_validate({"nl": ""})
