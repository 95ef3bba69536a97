"""The document kind and output format registries: nothing listed twice, everything they name exists."""

from __future__ import annotations

from collections import Counter

import pytest

from cgc_rules.documents.kinds import KINDS, kind
from cgc_rules.documents.templates import TEMPLATES_DIR
from cgc_rules.errors import CgcError
from cgc_rules.renderers import REPORTS, formats, renderer


def _twice(values) -> list:
    return [v for v, n in Counter(values).items() if n > 1]


@pytest.mark.parametrize("field", ["id", "template", "stem", "label"])
def test_no_document_kind_field_is_listed_twice(field):
    assert _twice(getattr(k, field) for k in KINDS) == []


def test_every_kind_has_its_template():
    assert [k.template for k in KINDS if not (TEMPLATES_DIR / k.template).is_file()] == []


def test_pack_paths_cannot_collide():
    """Kinds sharing a pack folder write `<stem>_<profile>_<type>.<suffix>` there: the stems must differ."""
    assert _twice((k.pack_folder, k.stem) for k in KINDS) == []


def test_published_and_internal_documents_do_not_share_a_pack_folder():
    folders = {a: {k.pack_folder for k in KINDS if k.audience == a} for a in ("published", "internal")}
    assert folders["published"]
    assert folders["internal"]
    assert folders["published"].isdisjoint(folders["internal"])


def test_unknown_kind_is_bad_input():
    with pytest.raises(CgcError, match="unknown document kind 'memo'"):
        kind("memo")


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_formats_of_a_report_are_unique_and_their_functions_exist(report):
    assert _twice(formats(report)) == []
    for r in REPORTS[report]:
        assert callable(r.load()), r.function
        assert r.suffix.startswith(".")
        assert "/" in r.media_type
        assert not (r.console and r.binary), r.name


def test_binary_formats_need_a_file_where_the_terminal_cannot_show_them():
    assert renderer("evaluate", "pdf").needs_file
    assert not renderer("evaluate", "json").needs_file
    with pytest.raises(KeyError, match="assess has no 'pdf' format"):
        renderer("assess", "pdf")


def test_pack_formats_are_document_formats():
    assert set(formats("pack")) <= set(formats("document"))
    assert {renderer("pack", f) for f in formats("pack")} <= set(REPORTS["document"])


@pytest.mark.parametrize(
    ("path", "report"), [(["evaluate"], "evaluate"), (["assess"], "assess"), (["corridor", "match"], "corridor")]
)
def test_format_choices_come_from_the_registry(path, report):
    import click

    from cgc_rules.cli import main

    ctx = click.Context(main)
    command = main
    for name in path:
        command = command.get_command(ctx, name)
    option = next(p for p in command.params if p.name == "fmt")
    assert tuple(option.type.choices) == formats(report)
    assert option.default == formats(report)[0]


def test_every_kind_label_is_in_the_catalogues():
    from cgc_rules import i18n

    assert [k.label for k in KINDS if not (i18n.has("nl", k.label) and i18n.has("en", k.label))] == []
