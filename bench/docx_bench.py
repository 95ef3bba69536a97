"""DOCX writing against plain python-docx, side by side in one run.

For every document kind of one profile and project type the document model is built once; then, in short
interleaved rounds of CPU time (the machine is shared, so wall time would count the other jobs):
  * `ours`      — `to_docx`: the profile's reference document, Word styles, real numbering, bookmarks and
                  cross-references, header and footer fields, a stable zip;
  * `reference` — plain python-docx writing the same paragraphs, clause texts, items and tables (same texts,
                  same cells) into its default template and saving it.
The best round of each is kept. Writes bench/results/docx.json (`--quick`: one round, printed only) and
prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import conditions  # noqa: E402
import docx  # noqa: E402

from cgc_rules.documents.build import build_document  # noqa: E402
from cgc_rules.documents.kinds import KIND_IDS  # noqa: E402
from cgc_rules.documents.model import Clause, Document, Figure, Paragraph, Table  # noqa: E402
from cgc_rules.documents.render_docx import to_docx  # noqa: E402
from cgc_rules.errors import CgcError  # noqa: E402
from cgc_rules.profile import LoadedProfile, load_profile, profile_path  # noqa: E402
from cgc_rules.registry import Registry  # noqa: E402

TARGET = 2.0


def _text(p: Paragraph) -> str:
    return "".join(r.text for r in p.runs)


def reference(doc: Document) -> bytes:
    """The same texts and tables written with python-docx's plain API."""
    d = docx.Document()
    d.add_paragraph(doc.meta.title)
    blocks = list(doc.front)
    for s in doc.sections:
        d.add_heading(s.heading, level=1)
        blocks = [*blocks, *s.blocks]
    for b in blocks:
        if isinstance(b, Clause):
            d.add_paragraph(f"{b.number} {b.title or ''} {_text(b.body)}")
            for item in b.items:
                d.add_paragraph(_text(item))
        elif isinstance(b, Table):
            d.add_paragraph(b.caption)
            table = d.add_table(rows=1 + len(b.rows), cols=len(b.header))
            for row, cells in zip(table.rows, [b.header, *b.rows], strict=True):
                for cell, content in zip(row.cells, cells, strict=True):
                    cell.text = _text(content)
        elif isinstance(b, Figure):
            d.add_paragraph(b.caption)
        else:
            d.add_paragraph(_text(b))
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def models(profile: str, project_type: str, day: date) -> tuple[LoadedProfile, list[Document]]:
    lp = load_profile(profile_path(profile))
    registry = Registry()
    built = []
    for kind in KIND_IDS:
        try:
            built.append(build_document(kind, lp, project_type, registry, day))
        except CgcError:  # a kind this profile's contract form does not make
            continue
    return lp, built


def _cpu(fn: Any) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def run(rounds: int, profile: str, project_type: str, day: date) -> dict[str, Any]:
    lp, docs = models(profile, project_type, day)
    to_docx(docs[0], lp)  # the reference document and styles read once, as in a long-lived process
    ours: list[float] = []
    ref: list[float] = []
    for _ in range(rounds):
        ours.append(_cpu(lambda: [to_docx(d, lp) for d in docs]))
        ref.append(_cpu(lambda: [reference(d) for d in docs]))
    paragraphs = sum(len(s.blocks) for d in docs for s in d.sections)
    best_ours, best_ref = min(ours), min(ref)
    return {
        "what": f"{len(docs)} documents of profile {profile}, type {project_type}: {paragraphs} blocks",
        "rounds": rounds,
        "ours_s": round(best_ours, 4),
        "reference_s": round(best_ref, 4),
        "ratio": round(best_ours / best_ref, 2),
        "target_ratio": TARGET,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round, print only")
    parser.add_argument("--profile", default="amersfoort")
    parser.add_argument("--type", default="wegen")
    args = parser.parse_args()
    head = conditions.start()
    figures = run(1 if args.quick else 7, args.profile, args.type, date(2026, 6, 1))
    result = {**conditions.finish(head), **figures}
    print("| work | ours (CPU s) | python-docx (CPU s) | ratio | target |")
    print("|---|---|---|---|---|")
    print(f"| {result['what']} | {result['ours_s']} | {result['reference_s']} | {result['ratio']}× | ≤ {TARGET}× |")
    if not args.quick:
        out = ROOT / "bench" / "results" / "docx.json"
        out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
