"""HTML renderer: one self-contained page (profile CSS and logo inlined), also the input for the PDF."""

from __future__ import annotations

import base64
from html import escape

from ..profile import LoadedProfile
from .model import Block, Clause, Document, Example, Figure, Fill, Paragraph, Ref, Table
from .wording import LANG

GENERATOR = "cgc-rules"


def _runs(p: Paragraph) -> str:
    out = []
    for r in p.runs:
        if isinstance(r, Fill):
            out.append(f'<span class="fill">{escape(r.text)}</span>')
        elif isinstance(r, Example):
            out.append(f'<span class="example">{escape(r.text)}</span>')
        elif isinstance(r, Ref):
            out.append(f'<a class="ref" href="#artikel-{escape(r.number)}">{escape(r.number)}</a>')
        elif r.strong:
            out.append(f"<strong>{escape(r.text)}</strong>")
        else:
            out.append(escape(r.text))
    return "".join(out)


def _table(t: Table) -> str:
    total = sum(t.widths) or 1
    cols = "".join(f'<col style="width:{w * 100 / total:.1f}%">' for w in t.widths)
    head = "".join(f"<th>{_runs(c)}</th>" for c in t.header)
    body = "".join("<tr>" + "".join(f"<td>{_runs(c)}</td>" for c in row) + "</tr>" for row in t.rows)
    return (
        f"<table><caption>{escape(t.caption)}</caption><colgroup>{cols}</colgroup>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _block(b: Block, internal: bool = True) -> str:
    if isinstance(b, Clause):
        rules = f' data-rules="{escape(" ".join(b.rules))}"' if b.rules and internal else ""
        title = f'<strong class="clause-title">{escape(b.title)}.</strong> ' if b.title else ""
        items = "".join(f"<li>{_runs(i)}</li>" for i in b.items)
        items = f"<ul>{items}</ul>" if items else ""
        return (
            f'<div class="clause" id="artikel-{b.number}"{rules}><p><span class="num">{b.number}</span>'
            f"{title}{_runs(b.body)}</p>{items}</div>"
        )
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Figure):
        src = "data:image/svg+xml;base64," + base64.b64encode(b.svg).decode("ascii")
        return (
            f'<figure><img src="{src}" alt="{escape(b.caption)}" style="width:{b.width_cm}cm;max-width:100%">'
            f"<figcaption>{escape(b.caption)}</figcaption></figure>"
        )
    return f"<p>{_runs(b)}</p>"


def _logo(lp: LoadedProfile) -> str:
    rel = lp.profile.house_style.logo
    if not rel:
        return ""
    path = lp.asset(rel)
    mime = "image/png" if path.suffix.lower() == ".png" else "image/jpeg"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img class="logo" alt="logo {escape(lp.profile.municipality)}" src="data:{mime};base64,{data}">'


def to_html(doc: Document, lp: LoadedProfile) -> str:
    """The whole document as one HTML page with the profile's stylesheet."""
    m, hs = doc.meta, lp.profile.house_style
    css = lp.stylesheet()
    stamp = f"{m.date}T00:00:00+00:00"
    footer = m.footer
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{LANG}"><head><meta charset="utf-8">',
        f"<title>{escape(m.title)} — {escape(m.municipality)}</title>",
        f'<meta name="author" content="{escape(m.municipality)}">',
        f'<meta name="description" content="{escape(m.title)}, {escape(m.subtitle)}; {escape(footer)}">',
        *([f'<meta name="keywords" content="{escape(", ".join(m.rulesets))}">'] if m.internal else []),
        *([f'<meta name="generator" content="{GENERATOR}">'] if m.internal else []),
        f'<meta name="dcterms.created" content="{stamp}">',
        f'<meta name="dcterms.modified" content="{stamp}">',
        f"<style>:root{{--primary:{hs.primary};--accent:{hs.accent}}}\n{css}</style>",
        "</head><body>",
        f'<div class="run-head">{escape(m.municipality)} — {escape(m.title)}</div>',
        f'<div class="run-foot">{escape(footer)}</div>',
        f'<header class="title-page">{_logo(lp)}<p class="municipality">{escape(m.municipality)}</p>',
        f'<h1>{escape(m.title)}</h1><p class="subtitle">{escape(m.subtitle)}</p></header>',
        '<section class="front">',
        *(_block(b) for b in doc.front),
        "</section>",
    ]
    for s in doc.sections:
        cls = "chapter annex" if s.annex else "chapter"
        parts.append(f'<section class="{cls}" id="hoofdstuk-{s.number}"><h2>{escape(s.heading)}</h2>')
        parts += [_block(b, m.internal) for b in s.blocks]
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
