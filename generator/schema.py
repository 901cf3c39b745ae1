"""Typed declarations of the file formats, in the manner of mkdocs' ``config_options``.

A format is a :class:`Record` of :class:`Field` s. Checking a loaded YAML
document against it returns plain values with defaults filled in and reports
every mismatch, located, to an :class:`~cxsite.errors.ErrorCollector`:
"expected one of …, got …", "unknown key …; did you mean …?". The same
declarations produce the JSON Schema (:meth:`Type.json_schema`), so the
documentation, the editor schema and the validator cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ErrorCollector, InputError, did_you_mean, one_of
from .yamlsafe import Doc, load_yaml

INVALID: Any = type("Invalid", (), {"__repr__": lambda self: "INVALID"})()
_MISSING: Any = object()

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
HEX_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DATE_RE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def describe(value: Any) -> str:
    """How a YAML value reads in an error message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, float) and not math.isfinite(value):
        return "not a number (.nan)" if math.isnan(value) else "an infinite number"
    if isinstance(value, int) and abs(value) >= 10**15:
        # Not spelled out: an integer of thousands of digits would flood the message.
        return f"a number of {len(str(abs(value)))} digits"
    if isinstance(value, (int, float)):
        return f"the number {value:g}" if isinstance(value, float) and abs(value) >= 1e15 else f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Context:
    """Where checking happens: the document (for positions) and the error sink."""

    def __init__(self, doc: Doc, errors: ErrorCollector):
        self.doc = doc
        self.errors = errors

    def error(self, path: tuple, message: str, key: bool = False) -> Any:
        self.errors.add(self.doc.at(path, key=key), message)
        return INVALID

    def written(self, path: tuple) -> str | None:
        """The text as written of a plain scalar YAML read as a number, bool or date."""
        return self.doc.written(path)


def as_written(value: Any, path: tuple, ctx: Context) -> Any:
    """``value`` as the text the author typed, where YAML turned it into a number, bool or date.

    ``wave: 2026.10`` reads as the float 2026.1, ``id: 007`` as the octal 7,
    ``label: yes`` as true; a field meant as text keeps ``"2026.10"``,
    ``"007"`` and ``"yes"``. Other values are returned unchanged.
    """
    if isinstance(value, (bool, int, float, dt.date)):
        raw = ctx.written(path) if ctx is not None else None
        if raw is not None:
            return raw
        return str(value).lower() if isinstance(value, bool) else str(value)
    return value


class Type:
    label = "a value"

    def check(self, value: Any, path: tuple, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def wrong(self, value: Any, path: tuple, ctx: Context) -> Any:
        return ctx.error(path, f"expected {self.label}, got {describe(value)}")


class Text(Type):
    label = "text"

    def check(self, value, path, ctx):
        # A bare year, number, date or yes/no in YAML ("wave: 2026.10") is meant
        # as text: kept exactly as written, never as Python prints the number.
        value = as_written(value, path, ctx)
        if not isinstance(value, str):
            return self.wrong(value, path, ctx)
        if not value.strip():
            return ctx.error(path, "expected text, got an empty string")
        return value.strip()

    def json_schema(self):
        return {"type": "string", "minLength": 1}


class Slug(Type):
    label = "an id (lowercase letters, digits, '-' or '_', starting with a letter or digit)"

    def check(self, value, path, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            value = as_written(value, path, ctx)  # "007" stays "007", not the octal 7
        if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > 64:
            return self.wrong(value, path, ctx)
        return value

    def json_schema(self):
        return {"type": "string", "pattern": SLUG_RE.pattern, "maxLength": 64}


class Scalar(Type):
    """One answer in assessor ratings: text, a number or blank."""

    label = "text, a number or nothing"

    def check(self, value, path, ctx):
        if value is None:
            return ""
        if not isinstance(value, (str, bool, int, float, dt.date)):
            return self.wrong(value, path, ctx)
        # As written: "010" is ten to whoever typed it, "yes" an answer to look up.
        return as_written(value, path, ctx)

    def json_schema(self):
        return {"type": ["string", "number", "null"]}


class HexColor(Type):
    label = "a colour as '#rrggbb'"

    def check(self, value, path, ctx):
        if not isinstance(value, str) or not HEX_RE.match(value):
            return self.wrong(value, path, ctx)
        return value.lower()

    def json_schema(self):
        return {"type": "string", "pattern": HEX_RE.pattern}


class SemVer(Type):
    label = "a semantic version such as '1.2.0'"

    def check(self, value, path, ctx):
        if not isinstance(value, str) or not SEMVER_RE.match(value):
            hint = " (quote it: '1.0.0')" if isinstance(value, float) else ""
            return ctx.error(path, f"expected {self.label}, got {describe(value)}{hint}")
        return value

    def json_schema(self):
        return {"type": "string", "pattern": SEMVER_RE.pattern}


@dataclass
class Number(Type):
    """A finite number between declared bounds.

    Both bounds are required: a weight of ``1e308``, a point of ``10**40`` or
    a threshold of a billion pass a type check but overflow, exhaust memory
    or silently withhold everything later. The bounds are part of the JSON
    Schema too, so an editor flags such a value as it is typed.
    """

    minimum: float
    maximum: float
    integer: bool = False

    @property
    def label(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        return f"{kind} from {_figure(self.minimum)} to {_figure(self.maximum)}"

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return ctx.error(path, f"expected {self.label}, got {self._text_number(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            return ctx.error(path, f"expected {self.label}, got {describe(value)}; write a finite number")
        if self.integer and not isinstance(value, int):
            return self.wrong(value, path, ctx)
        # An int of 400 digits compares exactly with the bounds, where float() would overflow.
        if not self.minimum <= value <= self.maximum:
            return self.wrong(value, path, ctx)
        return value

    def _text_number(self, value: Any) -> str:
        """How a non-number reads, with a hint where it is text YAML did not take as a number.

        YAML 1.1 reads ``1e5`` (no decimal point) as text, and PyYAML cannot
        build an integer of more than 4,300 digits, so it stays text too.
        """
        if not isinstance(value, str):
            return describe(value)
        digits = value.strip().lstrip("+-").replace("_", "")
        shown = f"a number of {len(digits)} digits" if digits.isdigit() and len(digits) > 15 else describe(value)
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            return shown
        if number > self.maximum or number < self.minimum:  # inf too; nan compares False
            side = f"above {_figure(self.maximum)}" if number > self.maximum else f"below {_figure(self.minimum)}"
            return f"{shown}, which is {side}"
        if not math.isfinite(number):
            return f"{shown}, which is not a finite number"
        return f"{shown}, which YAML reads as text; write the number in digits, without quotes"

    def json_schema(self):
        return {"type": "integer" if self.integer else "number",
                "minimum": self.minimum, "maximum": self.maximum}


def _figure(x: float) -> str:
    """A bound as people write it: ``1000000000``, not ``1e+09``."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class Bool(Type):
    label = "true or false"

    def check(self, value, path, ctx):
        return value if isinstance(value, bool) else self.wrong(value, path, ctx)

    def json_schema(self):
        return {"type": "boolean"}


@dataclass
class Date(Type):
    """A calendar date written YYYY-MM-DD, between declared bounds."""

    minimum: dt.date = dt.date(1, 1, 1)
    maximum: dt.date = dt.date(9999, 12, 31)
    label = "a date as YYYY-MM-DD"

    def check(self, value, path, ctx):
        if isinstance(value, dt.datetime):
            value = value.date()
        elif isinstance(value, str) and DATE_RE.match(value.strip()):
            try:
                value = dt.date(*map(int, value.strip().split("-")))
            except ValueError as exc:
                # YAML leaves an impossible date such as 2026-02-30 as text (see yamlsafe).
                return ctx.error(path, f"{describe(value)} is not a date in the calendar ({exc}); "
                                       "check the day and the month")
        if not isinstance(value, dt.date):
            return self.wrong(value, path, ctx)
        if not self.minimum <= value <= self.maximum:
            return ctx.error(path, f"date {value.isoformat()} is outside {self.minimum.isoformat()} to "
                                   f"{self.maximum.isoformat()}; check the year")
        return value

    def json_schema(self):
        return {"type": "string", "format": "date",
                "formatMinimum": self.minimum.isoformat(), "formatMaximum": self.maximum.isoformat()}


@dataclass
class Choice(Type):
    choices: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"one of {one_of(self.choices)}"

    def check(self, value, path, ctx):
        if value in self.choices:
            return value
        hint = did_you_mean(value, self.choices) if isinstance(value, str) else ""
        return ctx.error(path, f"expected {self.label}, got {describe(value)}{hint}")

    def json_schema(self):
        return {"enum": list(self.choices)}


def _whole(values: list, item: Type) -> Any:
    """A list or mapping of plain values is :data:`INVALID` when any of them is.

    Callers test a record's values for INVALID, not every entry of a label map
    or a list of points, so a partly valid one would reach them as if whole.
    A list of records stays partial: each record is checked by its caller, and
    the valid ones still take part in the cross-checks (duplicate ids ...).
    """
    if isinstance(item, Record):
        return values
    return INVALID if any(v is INVALID for v in values) else values


def _too_few(path: tuple, need: int, got: int) -> str:
    what = f"'{path[-1]}'" if path and isinstance(path[-1], str) else "this list"
    have = "none" if got == 0 else str(got)
    return f"{what} needs at least {'one entry' if need == 1 else f'{need} entries'}, got {have}"


@dataclass
class ListOf(Type):
    item: Type
    min_items: int = 0

    @property
    def label(self) -> str:
        return "a list"

    def check(self, value, path, ctx):
        if not isinstance(value, list):
            return self.wrong(value, path, ctx)
        if len(value) < self.min_items:
            return ctx.error(path, _too_few(path, self.min_items, len(value)))
        out = [self.item.check(v, path + (i,), ctx) for i, v in enumerate(value)]
        return _whole(out, self.item)

    def json_schema(self):
        schema = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


@dataclass
class MapOf(Type):
    key: Type
    value: Type
    min_items: int = 0

    label = "a mapping"

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            return self.wrong(value, path, ctx)
        if len(value) < self.min_items:
            return ctx.error(path, _too_few(path, self.min_items, len(value)))
        out = {}
        for k, v in value.items():
            ck = self.key.check(k, path + (k,), _KeyContext(ctx))
            cv = self.value.check(v, path + (k,), ctx)
            if ck is INVALID:
                out[INVALID] = INVALID  # a bad key spoils the mapping (see _whole)
            elif ck in out:
                # Two keys YAML tells apart that mean the same here: 1 and "1", 007 and 7.
                out[ck] = ctx.error(path + (k,), f"'{ck}' is given twice in this mapping", key=True)
            else:
                out[ck] = cv
        if INVALID in out or _whole(list(out.values()), self.value) is INVALID:
            return INVALID
        return out

    def json_schema(self):
        schema = {"type": "object", "additionalProperties": self.value.json_schema()}
        if isinstance(self.key, Number):
            # JSON keys are strings: the bounds of a numeric key can only be told in words.
            schema["propertyNames"] = {"pattern": r"^-?[0-9]+$", "description": self.key.label}
        return schema


@dataclass
class Either(Type):
    """A value of one of two types, told apart by its YAML shape: text, or a mapping (a record).

    An action is written as its text or as a reference to a recommended
    action (``{band: low, number: 1}``); the mapping is checked against
    ``record``, anything else against ``text``.
    """

    text: Type
    record: Record

    @property
    def label(self) -> str:
        return f"{self.text.label} or {self.record.label}"

    def check(self, value, path, ctx):
        return (self.record if isinstance(value, dict) else self.text).check(value, path, ctx)

    def json_schema(self):
        return {"oneOf": [self.text.json_schema(), self.record.json_schema()]}


class _KeyContext(Context):
    """Reports a bad mapping key at the key, not at its value."""

    def __init__(self, ctx: Context):
        super().__init__(ctx.doc, ctx.errors)

    def error(self, path, message, key=False):
        return super().error(path, message.replace("expected", "expected a key of", 1), key=True)

    def written(self, path):
        return self.doc.written(path, key=True)


@dataclass
class Field:
    type: Type
    required: bool = False
    default: Any = _MISSING
    doc: str = ""


@dataclass
class Record(Type):
    """A mapping with declared keys: a questionnaire, a dimension, an item …"""

    name: str
    fields: dict[str, Field] = field(default_factory=dict)
    doc: str = ""

    @property
    def label(self) -> str:
        return f"a mapping ({self.name})"

    def check(self, value, path, ctx):
        if not isinstance(value, dict):
            return self.wrong(value, path, ctx)
        out: dict[str, Any] = {}
        for key in value:
            if key not in self.fields:
                ctx.error(
                    path + (key,),
                    f"unknown key '{key}' in {self.name}{did_you_mean(str(key), self.fields)}; "
                    f"allowed keys: {', '.join(self.fields)}",
                    key=True,
                )
        for name, spec in self.fields.items():
            if name in value and not (value[name] is None and not spec.required):
                out[name] = spec.type.check(value[name], path + (name,), ctx)
            elif spec.required:
                out[name] = ctx.error(path, f"{self.name} is missing the required key '{name}'")
            else:
                out[name] = None if spec.default is _MISSING else spec.default
        return out

    def json_schema(self):
        props = {}
        for name, spec in self.fields.items():
            prop = spec.type.json_schema()
            if spec.doc:
                prop = {**prop, "description": spec.doc}
            if spec.default is not _MISSING and spec.default is not None:
                prop = {**prop, "default": spec.default}
            props[name] = prop
        schema = {
            "type": "object",
            "properties": props,
            "required": [n for n, s in self.fields.items() if s.required],
            "additionalProperties": False,
        }
        if self.doc:
            schema["description"] = self.doc
        return schema


def check_document(record: Record, doc: Doc, errors: ErrorCollector) -> dict | Any:
    """Check a whole document against a record declaration."""
    return record.check(doc.value, (), Context(doc, errors))


def read_document(path: Path, display: str, record: Record, errors: ErrorCollector) -> tuple[Doc, dict] | None:
    """Parse a YAML file and check it against ``record``: ``(doc, values)``.

    ``None`` when the file cannot be parsed or the document as a whole is
    unusable; every problem found goes to ``errors`` either way. Values that
    failed their own check are :data:`INVALID` inside ``values``.
    """
    try:
        doc = load_yaml(path, display)
    except InputError as exc:
        errors.extend([exc])
        return None
    raw = check_document(record, doc, errors)
    return None if raw is INVALID else (doc, raw)
