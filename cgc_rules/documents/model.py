"""The document model every renderer reads: sections, numbered clauses, tables and fill-in fields.

Numbers are given here, once, so DOCX, HTML and PDF carry the same clause numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .wording import say


@dataclass(frozen=True)
class Text:
    text: str
    strong: bool = False


@dataclass(frozen=True)
class Fill:
    """A value the municipality must fill in: `[in te vullen: label]` (`documents.fill`)."""

    label: str

    @property
    def text(self) -> str:
        return say("documents.fill", label=self.label)


@dataclass(frozen=True)
class Example:
    """An example value from a profile: shown with its mark (`documents.example_value`) and listed on the first page."""

    value: str
    label: str

    @property
    def text(self) -> str:
        return say("documents.example_value", value=self.value)


@dataclass(frozen=True)
class Ref:
    """A cross-reference to a clause: its number here, a bookmark and REF field in Word."""

    target: str  # the clause's label
    number: str

    @property
    def text(self) -> str:
        return self.number


Inline = Text | Fill | Example | Ref


@dataclass
class Paragraph:
    runs: list[Inline]


@dataclass
class Clause:
    """A numbered clause (`3.2`) with the rule keys (`ruleset/rule`) it implements."""

    number: str
    rules: tuple[str, ...]
    body: Paragraph
    items: list[Paragraph] = field(default_factory=list)
    title: str | None = None
    label: str | None = None  # target of cross-references (`<clause id="…">`)


@dataclass
class Table:
    caption: str
    header: list[Paragraph]
    rows: list[list[Paragraph]]
    widths: tuple[int, ...] = ()  # relative column widths, empty = equal


@dataclass(frozen=True)
class Figure:
    """A chart: SVG for HTML and PDF, PNG for DOCX."""

    caption: str
    svg: bytes
    png: bytes
    width_cm: float = 16.0


Block = Paragraph | Clause | Table | Figure


@dataclass
class Section:
    number: str  # "3", or "A" for an annex
    title: str
    blocks: list[Block] = field(default_factory=list)
    annex: bool = False

    @property
    def heading(self) -> str:
        if self.annex:
            return say("documents.annex.heading", number=self.number, title=self.title)
        return f"{self.number}  {self.title}"


@dataclass(frozen=True)
class Meta:
    """What headers, footers and PDF metadata show."""

    doc_id: str
    title: str
    subtitle: str
    municipality: str
    profile_id: str
    profile_name: str
    project_type: str
    rulesets: tuple[str, ...]  # "hnn-gww@2026.1"
    date: str  # ISO date for file metadata: the newest effective date of the rulesets used
    example_profile: bool
    internal: bool = False  # an internal document may show ids, versions and hashes; a published one never
    date_text: str = ""  # the same date in Dutch words (1 januari 2026), for the page

    @property
    def footer(self) -> str:
        """Footer text: the document id and ruleset versions inside the municipality, the title outside."""
        if self.internal:
            return f"{self.doc_id} · {', '.join(self.rulesets)}"
        return f"{self.municipality} · {self.title}"


@dataclass
class Document:
    meta: Meta
    front: list[Block]  # first page: document data, fill-in fields, example values
    sections: list[Section]
    fills: list[tuple[str, str]]  # (label, where) in order of first appearance
    examples: list[tuple[str, str, str]]  # (label, value, where)

    def clauses(self) -> list[Clause]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Clause)]
