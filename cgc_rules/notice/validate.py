"""A notice checked as the Publications Office checks it: the UBL schema, then the SDK's static schematron.

The schematron is compiled to XSLT once per SDK (cached by content hash in the user cache directory)
and run with Saxon-HE (`saxonche`). The phase is `eforms-<subtype>`, as in the SDK's own reports.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import CgcError
from .schematron import compile_xslt, read_schema
from .sdk import SCHEMATRON, Sdk

_SUBTYPE = (
    "/*/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/efext:EformsExtension"
    "/efac:NoticeSubType/cbc:SubTypeCode"
)
_RULE_TERM = re.compile(r"^BR-(BT|OPT|OPP|OPA)-0*(\d+)")
_QNAME = re.compile(r"Q\{([^}]*)\}")


@dataclass(frozen=True)
class Failure:
    """One failed check: the rule id, its severity, where in the notice, and the field it is about."""

    rule: str
    role: str
    location: str
    field: str
    source: str = "schematron"

    @property
    def term(self) -> str:
        """The business term (`BT-262`) of the field, or the rule's own prefix when it names none."""
        found = re.match(r"^((?:BT|OPT|OPP|OPA)-\d+)", self.field)
        return found.group(1) if found else self.field

    @property
    def is_error(self) -> bool:
        return self.role.upper() != "WARN"


def subtype_of(tree: etree._ElementTree) -> str:
    """The notice subtype (BT-02's companion OPP-070, `16`, `29`, ...) the notice declares."""
    found = tree.xpath(_SUBTYPE, namespaces=NAMESPACES)
    if not found:
        raise CgcError("notice has no NoticeSubType/SubTypeCode (OPP-070)")
    return str(found[0].text or "").strip()


NAMESPACES = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "can": "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2",
    "pin": "urn:oasis:names:specification:ubl:schema:xsd:PriorInformationNotice-2",
}


class Validator:
    """The XSD and schematron checks of one SDK; compiles the schematron on first use (slow: tens of seconds).

    `phases` limits the compiled stylesheet to the patterns those phases use (faster to compile);
    None compiles every pattern, for checking notices of any subtype.
    """

    def __init__(self, sdk: Sdk, phases: list[str] | None = None, cache_dir: Path | None = None):
        self.sdk = sdk
        self._schema = read_schema(sdk.root / SCHEMATRON)
        if phases is not None:
            unknown = [p for p in phases if p not in self._schema.phases]
            if unknown:
                raise CgcError(f"eForms SDK {sdk.root}: no schematron phase {', '.join(unknown)}")
            wanted = {pattern for phase in phases for pattern in self._schema.phases[phase]}
            self._schema.patterns = [p for p in self._schema.patterns if p.get("id") in wanted]
        self._phases = phases
        self._cache_dir = cache_dir
        self._executable: Any = None
        self._processor: Any = None
        self._xsd: dict[str, etree.XMLSchema] = {}

    def _stylesheet_path(self) -> Path:
        if self._cache_dir is not None:
            cache = self._cache_dir
        else:
            from platformdirs import user_cache_path

            cache = user_cache_path("cgc-rules", appauthor=False) / "eforms"
        scope = "all" if self._phases is None else "-".join(sorted(self._phases))
        path = cache / f"{self.sdk.digest}-{scope}.xsl"
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(compile_xslt(self._schema), encoding="utf-8")
            partial.replace(path)
        return path

    def _compiled(self) -> tuple[Any, Any]:
        if self._executable is None:
            from saxonche import PySaxonProcessor

            self._processor = PySaxonProcessor(license=False)
            compiler = self._processor.new_xslt30_processor()
            self._executable = compiler.compile_stylesheet(stylesheet_file=str(self._stylesheet_path()))
        return self._processor, self._executable

    def schema_failures(self, tree: etree._ElementTree) -> list[Failure]:
        """The UBL schema's complaints, each as a failure with rule id `XSD`."""
        root_name = etree.QName(tree.getroot()).localname
        if root_name not in self._xsd:
            self._xsd[root_name] = etree.XMLSchema(etree.parse(str(self.sdk.schema_for(root_name))))
        xsd = self._xsd[root_name]
        if xsd.validate(tree):
            return []
        return [Failure("XSD", "ERROR", f"line {error.line}", error.message, source="xsd") for error in xsd.error_log]

    def rule_failures(self, data: bytes, phase: str | None = None) -> list[Failure]:
        """The schematron's failed asserts for the notice `data`, in phase `eforms-<subtype>` unless given."""
        tree = etree.ElementTree(etree.fromstring(data))
        phase = phase or f"eforms-{subtype_of(tree)}"
        if phase not in self._schema.phases:
            raise CgcError(f"no schematron phase {phase!r} in the eForms SDK (unknown notice subtype)")
        if self._phases is not None and phase not in self._phases:
            raise CgcError(f"this validator was compiled for {', '.join(self._phases)}, not {phase}")
        processor, executable = self._compiled()
        active = [processor.make_string_value(p) for p in self._schema.phases[phase]]
        executable.set_parameter("active", processor.make_array(active))
        node = processor.parse_xml(xml_text=data.decode("utf-8"))
        report = executable.transform_to_string(xdm_node=node)
        return [self._failure(element) for element in etree.fromstring(report.encode("utf-8"))]

    def _failure(self, element: etree._Element) -> Failure:
        rule = element.get("id", "")
        diagnostics = (element.get("diagnostics") or "").split()
        field = next((self._schema.diagnostics[d] for d in diagnostics if d in self._schema.diagnostics), "")
        if not field:
            found = _RULE_TERM.match(rule)
            field = f"{found.group(1)}-{found.group(2)}" if found else ""
        return Failure(rule, element.get("role", "ERROR"), self._prefixed(element.get("location", "")), field)

    def _prefixed(self, location: str) -> str:
        by_uri = {uri: prefix for prefix, uri in self._schema.namespaces.items()}
        return _QNAME.sub(lambda m: f"{by_uri.get(m.group(1), m.group(1))}:", location)

    def check(self, data: bytes) -> list[Failure]:
        """Every failure of the notice `data`: schema errors first (the rules are not run on an invalid tree)."""
        try:
            tree = etree.ElementTree(etree.fromstring(data))
        except etree.XMLSyntaxError as exc:
            raise CgcError(f"notice is not well-formed XML: {exc}") from None
        failures = self.schema_failures(tree)
        return failures or self.rule_failures(data)
