"""`CHANGELOG.md` of a pack: ruleset diffs, profile and template changes since the previous pack."""

from __future__ import annotations

from .. import yamlio
from ..diff import diff_rulesets
from ..errors import CgcError
from ..numbers import notation
from ..ruleset import Ruleset
from .definition import PackDefinition


def _ruleset_from(entries: dict[str, bytes], path: str, where: str) -> Ruleset:
    if path not in entries:
        raise CgcError(f"{where}: the pack has no copy of {path}")
    doc = yamlio.parse(entries[path].decode("utf-8"), f"{where}:{path}")
    yamlio.expect_mapping(doc)
    return doc.validate(Ruleset)


def _by(items: list[dict], key: str) -> dict[str, dict]:
    return {item[key]: item for item in items}


def _input_changes(title: str, old: list[dict], new: list[dict], key: str) -> list[str]:
    """Lines naming inputs (profiles with house style, templates) that were added, removed or changed."""
    o, n = _by(old, key), _by(new, key)
    lines = [f"- nieuw: `{k}`" for k in sorted(n.keys() - o.keys())]
    lines += [f"- vervallen: `{k}`" for k in sorted(o.keys() - n.keys())]
    lines += [f"- gewijzigd: `{k}`" for k in sorted(n.keys() & o.keys()) if n[k] != o[k]]
    return [f"\n## {title}\n", *(lines or ["- ongewijzigd"])]


def changelog(definition: PackDefinition, inputs: dict, entries: dict[str, bytes],
              previous: tuple[dict, dict[str, bytes], str] | None) -> str:
    """The changelog text in Dutch; `previous` is (manifest, entries, display name) of the old pack."""
    d = definition
    out = [f"# Wijzigingen — {d.title} {d.version}\n",
           f"Uitgegeven op {notation('nl').date(d.released)}."]
    if previous is None:
        out.append("Eerste uitgave van dit pakket; geen vorige versie opgegeven.\n")
        out.append("## Regelsets van kracht\n")
        out += [f"- `{r['ref']}`" for r in inputs["rulesets"]]
        return "\n".join(out) + "\n"
    old_manifest, old_entries, where = previous
    old_pack = old_manifest.get("pack", {})
    out.append(f"Vergeleken met de vorige uitgave, {old_pack.get('name', '?')} {old_pack.get('version', '?')}.\n")
    out.append("## Regelsets\n")
    old_rs = {r["ref"].partition("@")[0]: r for r in old_manifest.get("inputs", {}).get("rulesets", [])}
    new_rs = {r["ref"].partition("@")[0]: r for r in inputs["rulesets"]}
    for rid in sorted(new_rs.keys() | old_rs.keys()):
        o, n = old_rs.get(rid), new_rs.get(rid)
        if n is None:
            out.append(f"### `{o['ref']}` — vervallen\n")
            continue
        if o is None:
            out.append(f"### `{n['ref']}` — nieuw in dit pakket\n")
            continue
        if o["sha256"] == n["sha256"]:
            out.append(f"### `{n['ref']}` — ongewijzigd\n")
            continue
        diff = diff_rulesets(_ruleset_from(old_entries, o["path"], where), _ruleset_from(entries, n["path"], "pack"))
        out.append(f"### `{o['ref']}` → `{n['ref']}`\n")
        out.append(diff.markdown())
    old_inputs = old_manifest.get("inputs", {})
    out += _input_changes("Profielen", old_inputs.get("profiles", []), inputs["profiles"], "id")
    out += _input_changes("Sjablonen", old_inputs.get("templates", []), inputs["templates"], "path")
    return "\n".join(out) + "\n"
