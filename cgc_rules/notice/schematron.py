"""ISO Schematron (query binding xslt2) compiled to one XSLT 3.0 stylesheet, for the eForms SDK's rules.

The SDK's static schematron is a flat set of patterns (rules with `context` and asserts, global
`let`s, phases listing active patterns, diagnostics naming the field of each assert). Each pattern
becomes one XSLT mode; within a pattern the first rule (in document order) whose context matches a
node fires, as ISO Schematron prescribes, by giving earlier rules a higher template priority. The
phase is chosen at run time (parameter `active`), so all phases share one compiled stylesheet.
The stylesheet reports each failed assert as `<f id role flag location pattern diagnostics/>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

SCH = "http://purl.oclc.org/dsdl/schematron"
_NS = {"sch": SCH}


@dataclass
class Schema:
    """What the compiler read: namespaces, lets, phases, patterns and the field each diagnostic names."""

    namespaces: dict[str, str] = field(default_factory=dict)
    lets: dict[str, str] = field(default_factory=dict)
    phases: dict[str, list[str]] = field(default_factory=dict)
    patterns: list[etree._Element] = field(default_factory=list)
    diagnostics: dict[str, str] = field(default_factory=dict)


def read_schema(path: Path) -> Schema:
    """Parse a schematron file and the files its `<include>`s name (relative to it)."""
    root = etree.parse(str(path)).getroot()
    schema = Schema()
    for ns in root.iterfind("sch:ns", _NS):
        schema.namespaces[ns.get("prefix", "")] = ns.get("uri", "")
    for let in root.iterfind("sch:let", _NS):
        schema.lets[let.get("name", "")] = let.get("value", "")
    for phase in root.iterfind("sch:phase", _NS):
        schema.phases[phase.get("id", "")] = [a.get("pattern", "") for a in phase.iterfind("sch:active", _NS)]
    for child in root:
        if child.tag == f"{{{SCH}}}include":
            pattern = etree.parse(str(path.parent / child.get("href", ""))).getroot()
            _add_pattern(schema, pattern)
        elif child.tag == f"{{{SCH}}}pattern":
            _add_pattern(schema, child)
        elif child.tag == f"{{{SCH}}}diagnostics":
            for diagnostic in child.iterfind("sch:diagnostic", _NS):
                see = diagnostic.get("see", "")
                schema.diagnostics[diagnostic.get("id", "")] = see.removeprefix("field:")
    return schema


def _add_pattern(schema: Schema, pattern: etree._Element) -> None:
    for let in pattern.iterfind("sch:let", _NS):
        schema.lets.setdefault(let.get("name", ""), let.get("value", ""))
    schema.patterns.append(pattern)


def compile_xslt(schema: Schema) -> str:
    """The XSLT 3.0 text that runs every pattern of `schema` listed in the run-time parameter `active`."""
    ns_decls = " ".join(f"xmlns:{p}={quoteattr(u)}" for p, u in schema.namespaces.items() if p)
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" {ns_decls} '
        f'exclude-result-prefixes="#all">',
        '<xsl:param name="active" as="xs:string*" select="()"/>',
    ]
    for name, value in schema.lets.items():
        out.append(f"<xsl:variable name={quoteattr(name)} select={quoteattr(value)}/>")
    out.append('<xsl:template match="/"><r>')
    for index, pattern in enumerate(schema.patterns):
        pid = pattern.get("id", "")
        out.append(
            f"<xsl:if test={quoteattr(f'{_string_literal(pid)} = $active')}>"
            f'<xsl:apply-templates select="." mode="p{index}"/></xsl:if>'
        )
    out.append("</r></xsl:template>")
    for index, pattern in enumerate(schema.patterns):
        out.extend(_pattern_templates(index, pattern))
    out.append("</xsl:stylesheet>")
    return "\n".join(out)


def _pattern_templates(index: int, pattern: etree._Element) -> list[str]:
    mode = f"p{index}"
    pid = quoteattr(pattern.get("id", ""))
    rules = pattern.findall("sch:rule", _NS)
    out = [
        f'<xsl:template match="@*|node()" mode="{mode}" priority="-1">'
        f'<xsl:apply-templates select="@*|node()" mode="{mode}"/></xsl:template>',
    ]
    for position, rule in enumerate(rules):
        priority = len(rules) - position
        out.append(f'<xsl:template match={quoteattr(rule.get("context", ""))} mode="{mode}" priority="{priority}">')
        for let in rule.iterfind("sch:let", _NS):
            out.append(
                f"<xsl:variable name={quoteattr(let.get('name', ''))} select={quoteattr(let.get('value', ''))}/>"
            )
        for assertion in rule.iterfind("sch:assert", _NS):
            test = assertion.get("test", "")
            out.append(
                f"<xsl:if test={quoteattr(f'not({test})')}><f id={quoteattr(assertion.get('id', ''))} "
                f"role={quoteattr(assertion.get('role', ''))} flag={quoteattr(assertion.get('flag', ''))} "
                f"diagnostics={quoteattr(assertion.get('diagnostics', ''))} pattern={pid} "
                f'location="{{path()}}"/></xsl:if>'
            )
        out.append(f'<xsl:apply-templates select="@*|node()" mode="{mode}"/></xsl:template>')
    return out


def _string_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
