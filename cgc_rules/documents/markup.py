"""Reading the small XML markup the templates write into the document model, numbering as it goes.

Markup (values in it are escaped by Jinja's autoescape, so no profile text can add structure):

    <document>
      <section title="…">
        <p>text <b>bold</b> <fill>label</fill> <ex label="…">value</ex></p>
        <clause rules="ruleset/rule …" title="…" id="label">text, see <ref to="label"/> … <item>…</item></clause>
        <table caption="…" widths="3,1"><tr><th>…</th></tr><tr><td>…</td></tr></table>
      </section>
    </document>
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Collection

from defusedxml import ElementTree as defused

from ..errors import CgcError, Problem
from .model import Block, Clause, Example, Fill, Inline, Paragraph, Ref, Section, Table, Text

_SPACE = re.compile(r"[ \t\r\n]+")


class _Reader:
    def __init__(self, template: str, known_rules: Collection[str]):
        self.template = template
        self.known_rules = known_rules
        self.fills: list[tuple[str, str]] = []
        self.examples: list[tuple[str, str, str]] = []
        self._seen_fills: set[str] = set()
        self.where = ""

    def fail(self, message: str) -> CgcError:
        return CgcError(Problem(message, self.template, field=self.where or None))

    def inline(self, el: ET.Element, skip: str | None = None) -> Paragraph:
        runs: list[Inline] = []
        self._text(runs, el.text, False)
        for child in el:
            if child.tag == skip:
                pass
            elif child.tag == "b":
                self._text(runs, "".join(child.itertext()), True)
            elif child.tag == "fill":
                label = _clean("".join(child.itertext()))
                if not label:
                    raise self.fail("empty <fill> field")
                runs.append(Fill(label))
                if label not in self._seen_fills:
                    self._seen_fills.add(label)
                    self.fills.append((label, self.where))
            elif child.tag == "ref":
                runs.append(Ref(child.get("to", ""), ""))
            elif child.tag == "ex":
                value, label = _clean("".join(child.itertext())), child.get("label", "")
                runs.append(Example(value, label))
                self.examples.append((label, value, self.where))
            else:
                raise self.fail(f"unexpected <{child.tag}> inside <{el.tag}>")
            self._text(runs, child.tail, False)
        return Paragraph(_trim(runs))

    @staticmethod
    def _text(runs: list[Inline], text: str | None, strong: bool) -> None:
        if text:
            text = _SPACE.sub(" ", text)
            if runs and isinstance(runs[-1], Text) and runs[-1].strong == strong:
                runs[-1] = Text(runs[-1].text + text, strong)
            else:
                runs.append(Text(text, strong))

    def clause(self, el: ET.Element, number: str) -> Clause:
        self.where = f"artikel {number}"
        rules = tuple(el.get("rules", "").split())
        for key in rules:
            if key not in self.known_rules:
                raise self.fail(f"unknown rule id {key!r} (known: {', '.join(sorted(self.known_rules)) or 'none'})")
        body = self.inline(el, skip="item")
        items = [self.inline(item) for item in el.iter("item")]
        return Clause(number, rules, body, items, el.get("title"), el.get("id"))

    def table(self, el: ET.Element) -> Table:
        rows = [r for r in el if r.tag == "tr"]
        if not rows or any(c.tag != "th" for c in rows[0]):
            raise self.fail("a <table> starts with a row of <th> cells")
        header = [self.inline(c) for c in rows[0]]
        body = [[self.inline(c) for c in r] for r in rows[1:]]
        if any(len(r) != len(header) for r in body):
            raise self.fail(f"table {el.get('caption', '')!r}: every row needs {len(header)} cells")
        widths = tuple(int(w) for w in el.get("widths", "").split(",") if w.strip())
        if widths and len(widths) != len(header):
            raise self.fail(f"table {el.get('caption', '')!r}: widths names {len(widths)} columns, not {len(header)}")
        return Table(el.get("caption", ""), header, body, widths)


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _trim(runs: list[Inline]) -> list[Inline]:
    if runs and isinstance(runs[0], Text):
        runs[0] = Text(runs[0].text.lstrip(), runs[0].strong)
    if runs and isinstance(runs[-1], Text):
        runs[-1] = Text(runs[-1].text.rstrip(), runs[-1].strong)
    return [r for r in runs if not (isinstance(r, Text) and not r.text)]


def read(
    markup: str, template: str, known_rules: Collection[str]
) -> tuple[str, list[Section], list[tuple[str, str]], list[tuple[str, str, str]]]:
    """Title, sections (numbered 1, 2, … with clauses 1.1, 1.2, …), fill-in fields and example values."""
    try:
        root = defused.fromstring(markup)
    except ET.ParseError as exc:
        line, col = exc.position
        raise CgcError(Problem(f"template output is not valid markup: {exc.msg}", template, line, col + 1)) from None
    reader = _Reader(template, known_rules)
    if root.tag != "document":
        raise reader.fail("template output must be one <document>")
    sections = []
    for s_no, sec in enumerate((s for s in root if s.tag == "section"), start=1):
        section = Section(str(s_no), sec.get("title", ""))
        clause_no = 0
        for el in sec:
            block: Block
            reader.where = f"hoofdstuk {s_no}"
            if el.tag == "clause":
                clause_no += 1
                block = reader.clause(el, f"{s_no}.{clause_no}")
            elif el.tag == "p":
                block = reader.inline(el)
            elif el.tag == "table":
                block = reader.table(el)
            else:
                raise reader.fail(f"unexpected <{el.tag}> in a section")
            section.blocks.append(block)
        sections.append(section)
    _resolve(sections, reader)
    return root.get("title", ""), sections, reader.fills, reader.examples


def _resolve(sections: list[Section], reader: _Reader) -> None:
    """Give every `<ref>` the number of the clause it points at; an unknown label is a template error."""
    clauses = [b for s in sections for b in s.blocks if isinstance(b, Clause)]
    numbers = {c.label: c.number for c in clauses if c.label}
    for c in clauses:
        for p in (c.body, *c.items):
            for i, run in enumerate(p.runs):
                if isinstance(run, Ref):
                    if run.target not in numbers:
                        reader.where = f"artikel {c.number}"
                        raise reader.fail(f"<ref to={run.target!r}> names no clause id")
                    p.runs[i] = Ref(run.target, numbers[run.target])
