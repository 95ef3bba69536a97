"""Where the eForms SDK is: `--sdk DIR`, else `$CGC_EFORMS_SDK`, else `shared/eforms-sdk` beside the checkout."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from ..errors import CgcError

ENV = "CGC_EFORMS_SDK"
SCHEMATRON = Path("schematrons/static/complete-validation.sch")
_MAINDOC = {
    "ContractNotice": "UBL-ContractNotice-2.3.xsd",
    "ContractAwardNotice": "UBL-ContractAwardNotice-2.3.xsd",
    "PriorInformationNotice": "UBL-PriorInformationNotice-2.3.xsd",
    "BusinessRegistrationInformationNotice": "EFORMS-BusinessRegistrationInformationNotice.xsd",
}


def default_dir() -> Path:
    """`../shared/eforms-sdk` relative to the repository root (where CI lays shared/ beside the checkout)."""
    return Path(__file__).resolve().parents[3] / "shared" / "eforms-sdk"


def locate(sdk: str | Path | None = None) -> Sdk:
    """The SDK named by `sdk`, the environment or the default place; a clear error when it is not there."""
    path = Path(sdk) if sdk else Path(os.environ[ENV]) if os.environ.get(ENV) else default_dir()
    if not (path / SCHEMATRON).is_file():
        raise CgcError(
            f"eForms SDK not found at {path} (no {SCHEMATRON}): download the eForms SDK 1.x release "
            f"(docs/notices.md says where) and pass --sdk DIR or set {ENV}"
        )
    return Sdk(path)


@dataclass(frozen=True)
class Sdk:
    """One unpacked eForms SDK."""

    root: Path

    @cached_property
    def version(self) -> str:
        """The SDK release, from the first heading of its CHANGELOG.md (`# SDK 1.15.1 Release Notes`)."""
        path = self.root / "CHANGELOG.md"
        found = re.search(r"SDK (\d+\.\d+)", path.read_text("utf-8")[:200]) if path.is_file() else None
        if found is None:
            raise CgcError(f"{path}: no SDK version in its first heading")
        return found.group(1)

    @property
    def customization(self) -> str:
        """The notice's `cbc:CustomizationID` for this SDK, e.g. `eforms-sdk-1.15`."""
        return f"eforms-sdk-{self.version}"

    @cached_property
    def digest(self) -> str:
        """A hash of the static schematron files: the key of the compiled stylesheet in the cache."""
        sha = hashlib.sha256()
        for path in sorted((self.root / SCHEMATRON.parent).glob("*.sch")):
            sha.update(path.name.encode())
            sha.update(path.read_bytes())
        return sha.hexdigest()[:16]

    def schema_for(self, root_name: str) -> Path:
        """The UBL main schema for a notice's root element name."""
        if root_name not in _MAINDOC:
            raise CgcError(f"not an eForms notice: root element {root_name!r}")
        return self.root / "schemas" / "maindoc" / _MAINDOC[root_name]

    def labels(self, kind: str, lang: str) -> dict[str, str]:
        """The SDK's translated labels of one kind (`business-term`, `code`, `field`) in `lang`, by key."""
        path = self.root / "translations" / f"{kind}_{lang}.xml"
        if not path.is_file():
            path = self.root / "translations" / f"{kind}_en.xml"
        tree = etree.parse(str(path))
        return {entry.get("key", ""): entry.text or "" for entry in tree.iterfind("entry")}
