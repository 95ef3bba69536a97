"""A stored record as pydantic sees it: validated when it is built, exported and imported."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from operator import attrgetter, itemgetter
from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from .schema import COLUMNS
from .summary import figure_values, summary, text

KINDS = ("evaluation", "assessment")
ROLES = ("bid", "awarded", "design", "as-built")
_LONGEST = {
    "ruleset_id": 200,
    "ruleset_version": 100,
    "municipality": 200,
    "region": 200,
    "project_id": 200,
    "project_type": 40,
}
"""Most characters of each text field (the model's bound and `plain_row`'s)."""
_FIRST_YEAR, _LAST_YEAR = 1900, 2200

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
IsoDay = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]


def jsonable(value: Any) -> Any:
    """Plain JSON values: dates as ISO text, enums as their value, tuples and sets as lists."""
    if isinstance(value, dict):
        return {str(k.value if isinstance(k, Enum) else k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) or (isinstance(value, Sequence) and not isinstance(value, str)):
        return [jsonable(v) for v in value]  # a sequence written out as it is read too (a derivation's lines)
    if isinstance(value, (set, frozenset)):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def canonical(payload: dict[str, Any]) -> str:
    """The payload as the store keeps it: the same dict always gives the same text."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)


def dedup_key(kind: str, input_sha256: str, ruleset_sha256: str, role: str | None) -> str:
    """Same input, same ruleset version and same role: the same record."""
    return hashlib.sha256("\0".join([kind, input_sha256, ruleset_sha256, role or ""]).encode()).hexdigest()


class StoredRecord(BaseModel):
    """One audit record with the columns it is selected on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["evaluation", "assessment"]
    dedup_key: Sha256
    recorded_at: datetime
    input_sha256: Sha256
    ruleset_id: str = Field(min_length=1, max_length=_LONGEST["ruleset_id"])
    ruleset_version: str = Field(min_length=1, max_length=_LONGEST["ruleset_version"])
    ruleset_sha256: Sha256
    municipality: str = Field(min_length=1, max_length=_LONGEST["municipality"])
    region: str | None = Field(None, max_length=_LONGEST["region"])
    project_id: str | None = Field(None, max_length=_LONGEST["project_id"])
    project_type: str | None = Field(None, max_length=_LONGEST["project_type"])
    day: IsoDay | None = None
    year: Annotated[int, Field(ge=_FIRST_YEAR, le=_LAST_YEAR)] | None = None
    role: Literal["bid", "awarded", "design", "as-built"] | None = None
    payload: dict[str, Any]
    _payload_text: str | None = PrivateAttr(None)
    _summary: dict[str, Any] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> StoredRecord:
        if self.dedup_key != dedup_key(self.kind, self.input_sha256, self.ruleset_sha256, self.role):
            raise ValueError("dedup_key does not match kind, input_sha256, ruleset_sha256 and role")
        if self.kind == "evaluation" and (self.role is None or self.project_id is None):
            raise ValueError("an evaluation needs a role and a project_id")
        if self.recorded_at.utcoffset() is None:
            raise ValueError("recorded_at needs a time zone")
        given = info.context.get("payload_text") if isinstance(info.context, dict) else None
        self._payload_text = given or canonical(self.payload)  # refuses NaN and infinities
        self._summary = summary(self.kind, self.payload)
        return self

    def changed(self, **update: Any) -> StoredRecord:
        """A copy with `update` applied; its payload and summary texts are made anew from the copy."""
        copy = self.model_copy(update=update)
        copy._payload_text = copy._summary = None
        return copy

    def payload_text(self) -> str:
        """The payload as the store keeps it (computed once)."""
        if self._payload_text is None:
            self._payload_text = canonical(self.payload)
        return self._payload_text

    def row(self) -> tuple[Any, ...]:
        """The columns as the table keeps them, in `COLUMNS` order: the record's own, its summary and the figures
        monitoring sums."""
        private = self.__pydantic_private__ or {}
        return _columns(
            self.__dict__,
            self.recorded_at.isoformat(timespec="microseconds"),
            private.get("_payload_text") or self.payload_text(),
            private.get("_summary") or summary(self.kind, self.payload),
        )

    @classmethod
    def from_row(cls, row: Any) -> StoredRecord:
        columns = dict(zip(row._fields, row, strict=True))
        data = {name: columns[name] for name in _HEAD}
        data["payload"] = json.loads(columns["payload"])
        return cls.model_validate(data, context={"payload_text": columns["payload"]})

    @classmethod
    def trusted_row(cls, row: Any) -> StoredRecord:
        """A row as stored, without validating it again: it was validated when it was added."""
        columns = dict(zip(row._fields, row, strict=True))
        return cls.model_construct(**{name: columns[name] for name in _HEAD}, payload=json.loads(columns["payload"]))

    def export_line(self) -> str:
        """One line of an export: compact, keys sorted, so the payload appears in it exactly as stored."""
        head = self.model_dump(mode="json", exclude={"payload"})
        try:
            return _export_line(head, self.payload_text())
        except TypeError:  # a lone surrogate: written as the standard library writes it
            return _export_line(head, self.payload_text(), _standard_dumps)


def _sorted_json(data: dict[str, Any]) -> bytes:
    """Compact, keys sorted (orjson: raises TypeError on a lone surrogate)."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def _standard_dumps(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _export_line(
    head: dict[str, Any], payload_text: str, dumps: Callable[[dict[str, Any]], bytes] = _sorted_json
) -> str:
    """The fields in `head` (JSON values) with the payload's text in its place, as `dumps` writes them."""
    return dumps({**head, "payload": 0}).decode().replace('"payload":0', '"payload":' + payload_text, 1)


_HEAD = tuple(name for name in StoredRecord.model_fields if name != "payload")


def _columns(
    fields: dict[str, Any], recorded_at: str, payload_text: str | bytes, digest: dict[str, Any]
) -> tuple[Any, ...]:
    return (
        *_BEFORE(fields),
        recorded_at,
        *_AFTER(fields),
        text(digest),
        *figure_values(fields["kind"], digest),
        payload_text,
    )


_BEFORE, _AFTER = itemgetter(*COLUMNS[:2]), itemgetter(*COLUMNS[3 : COLUMNS.index("summary")])
"""The fields kept in their own column as they are, before and after `recorded_at`, in the table's order (then
the summary, the figures and the payload: `schema` keeps them in that order, last)."""


_FIELDS = frozenset(_HEAD)
_HEX64 = re.compile("[0-9a-f]{64}")
_DAY = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
"""The forms `export_line` writes; any other form of a valid value is left to the model."""


def plain_row(head: dict[str, Any], payload: Any, payload_text: str | bytes) -> tuple[Any, ...] | None:
    """`StoredRecord.row` of a record given as the JSON data `export_line` writes, its fields but the payload in
    `head` (every one, in the form it writes them), with `payload_text` the payload's canonical text (or that
    text's UTF-8 bytes, kept as they are), checked without building the model; None when anything is not plainly
    valid in that form (the model then decides, and names what is wrong)."""
    checked = _plainly_valid(head, payload)
    if checked is None:
        return None
    recorded_at, digest = checked
    return _columns(head, recorded_at.isoformat(timespec="microseconds"), payload_text, digest)


def _plainly_valid(head: dict[str, Any], payload: Any) -> tuple[datetime, dict[str, Any]] | None:
    """The time recorded and the summary of a record in the form `export_line` writes (`plain_row`), or None."""
    if head.keys() != _FIELDS:
        return None
    kind, key, role, project_id, year = head["kind"], head["dedup_key"], head["role"], head["project_id"], head["year"]
    sha, ruleset_sha, day, stamp = head["input_sha256"], head["ruleset_sha256"], head["day"], head["recorded_at"]
    ruleset, version, name = head["ruleset_id"], head["ruleset_version"], head["municipality"]
    region, kind_of = head["region"], head["project_type"]
    if not (
        kind in KINDS
        and (role is None or role in ROLES)
        and type(sha) is str
        and type(ruleset_sha) is str
        and type(key) is str
        and _HEX64.fullmatch(sha)
        and _HEX64.fullmatch(ruleset_sha)
        and key == dedup_key(kind, sha, ruleset_sha, role)
        and (kind != "evaluation" or (role is not None and project_id is not None))
        and (year is None or (type(year) is int and _FIRST_YEAR <= year <= _LAST_YEAR))
        and (day is None or (type(day) is str and _DAY.fullmatch(day)))
        and type(stamp) is str
        and _STAMP.fullmatch(stamp)
        and type(payload) is dict
        and type(ruleset) is str
        and type(version) is str
        and type(name) is str
        and 0 < len(ruleset) <= _LONGEST["ruleset_id"]
        and 0 < len(version) <= _LONGEST["ruleset_version"]
        and 0 < len(name) <= _LONGEST["municipality"]
        and (region is None or (type(region) is str and len(region) <= _LONGEST["region"]))
        and (project_id is None or (type(project_id) is str and len(project_id) <= _LONGEST["project_id"]))
        and (kind_of is None or (type(kind_of) is str and len(kind_of) <= _LONGEST["project_type"]))
    ):
        return None
    try:
        return datetime.fromisoformat(stamp), summary(kind, payload)
    except ValueError:
        return None


_STORED_STAMP = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})\.([0-9]{6})([+-][0-9]{2}:[0-9]{2})"
)
"""`recorded_at` as `row` stores it (microseconds, an offset)."""
_HEAD_OF = attrgetter(*_HEAD)


def plain_export_line(row: Any) -> str | None:
    """`StoredRecord.from_row(row).export_line()` of a row stored as `row` writes it, checked as `plain_row`
    checks an export line (`_plainly_valid`), without building the model; None when anything is not plainly
    valid in that form (the model then decides, and names what is wrong)."""
    head = dict(zip(_HEAD, _HEAD_OF(row), strict=True))
    stamp, text = head["recorded_at"], row.payload
    found = _STORED_STAMP.fullmatch(stamp) if type(stamp) is str else None
    if found is None or found[3] == "-00:00" or type(text) is not str:
        return None
    when, micro, offset = found.groups()  # written as the model writes a datetime: no zero fraction, UTC as Z
    head["recorded_at"] = f"{when}{'' if micro == '000000' else '.' + micro}{'Z' if offset == '+00:00' else offset}"
    try:
        payload = json.loads(text)
    except ValueError:
        return None
    if _plainly_valid(head, payload) is None:
        return None
    try:
        return _export_line(head, text)
    except TypeError:  # a lone surrogate: the model refuses it in a stored row, and names it
        return None
