"""`CHANGELOG.md` of a pack: ruleset diffs, profile and template changes since the previous pack."""

from __future__ import annotations

from typing import Any

from ..diff import diff_rulesets
from ..documents.wording import LANG, say
from ..errors import CgcError, Problem
from ..loading.files import check_text
from ..loading.parse import expect_mapping, parse
from ..numbers import notation
from ..ruleset import Ruleset
from .definition import PackDefinition
from .manifest import Previous


def _ruleset_from(entries: dict[str, bytes], path: str, where: str) -> Ruleset:
    if path not in entries:
        raise CgcError(Problem(f"the pack has no copy of {path}", where))
    check_text(entries[path], f"{where}:{path}")
    doc = parse(entries[path], f"{where}:{path}")
    expect_mapping(doc)
    ruleset: Ruleset = doc.validate(Ruleset)
    return ruleset


def _by(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {item[key]: item for item in items}


def _input_changes(title: str, old: list[dict[str, Any]], new: list[dict[str, Any]], key: str) -> str:
    """A section naming inputs (profiles with house style, templates) that were added, removed or changed."""
    o, n = _by(old, key), _by(new, key)
    c = "pack.changelog."
    lines = [f"- {say(c + 'added')}: `{k}`" for k in sorted(n.keys() - o.keys())]
    lines += [f"- {say(c + 'removed')}: `{k}`" for k in sorted(o.keys() - n.keys())]
    lines += [f"- {say(c + 'changed')}: `{k}`" for k in sorted(n.keys() & o.keys()) if n[k] != o[k]]
    return f"## {title}\n\n" + "\n".join(lines or [f"- {say(c + 'unchanged')}"])


def _ruleset_sections(
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    old_entries: dict[str, bytes],
    entries: dict[str, bytes],
    where: str,
) -> list[str]:
    """Per ruleset id: removed, new, unchanged, or the diff between the two copies."""
    old_rs = {r["ref"].partition("@")[0]: r for r in old}
    new_rs = {r["ref"].partition("@")[0]: r for r in new}
    out = []
    for rid in sorted(new_rs.keys() | old_rs.keys()):
        o, n = old_rs.get(rid), new_rs.get(rid)
        if n is None:
            out.append(f"### `{old_rs[rid]['ref']}` — {say('pack.changelog.removed')}")
        elif o is None:
            out.append(f"### `{n['ref']}` — {say('pack.changelog.new_in_pack')}")
        elif o["sha256"] == n["sha256"]:
            out.append(f"### `{n['ref']}` — {say('pack.changelog.unchanged')}")
        else:
            before = _ruleset_from(old_entries, o["path"], where)
            diff = diff_rulesets(before, _ruleset_from(entries, n["path"], "pack"))
            out.append(f"### `{o['ref']}` → `{n['ref']}`\n\n{diff.markdown().rstrip()}")
    return out


def changelog(
    definition: PackDefinition,
    inputs: dict[str, Any],
    entries: dict[str, bytes],
    previous: Previous | None,
) -> str:
    """The changelog text in Dutch; `previous` is the old pack (its manifest, inputs and rulesets' copies)."""
    d = definition
    c = "pack.changelog."
    blocks = [
        f"# {say(c + 'title', title=d.title, version=d.version)}",
        say(c + "released", date=notation(LANG).date(d.released)),
    ]
    if previous is None:
        in_force = "\n".join(f"- `{r['ref']}`" for r in inputs["rulesets"])
        blocks += [say(c + "first"), f"## {say(c + 'in_force')}\n\n{in_force}"]
        return "\n\n".join(blocks) + "\n"
    old_pack, old_inputs = previous.manifest["pack"], previous.inputs
    blocks[-1] += " " + say(c + "compared", name=old_pack.get("name", "?"), version=old_pack.get("version", "?"))
    blocks.append(f"## {say(c + 'rulesets')}")
    old_rulesets = [r.model_dump() for r in old_inputs.rulesets]
    blocks += _ruleset_sections(old_rulesets, inputs["rulesets"], previous.rulesets, entries, previous.where)
    old_profiles = [p.model_dump() for p in old_inputs.profiles]
    blocks.append(_input_changes(say(c + "profiles"), old_profiles, inputs["profiles"], "id"))
    old_templates = [t.model_dump() for t in old_inputs.templates]
    blocks.append(_input_changes(say(c + "templates"), old_templates, inputs["templates"], "path"))
    return "\n\n".join(blocks) + "\n"
