"""Typed declarations of the file formats, in the manner of mkdocs' ``config_options``.

A format is a :class:`Record` of :class:`Field` s. Checking a loaded YAML
document against it returns plain values with defaults filled in and reports
every mismatch, located, to an :class:`~generator.errors.ErrorCollector`:
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
SEMVER_RE = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def describe(value: Any) -> str:
    """How a YAML value reads in an error message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
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
        # A bare year or date in YAML ("wave: 2026") is meant as text.
        if isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
            value = str(value)
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
            value = str(value)
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
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return self.wrong(value, path, ctx)
        return str(value)

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
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    @property
    def label(self) -> str:
        kind = "a whole number" if self.integer else "a number"
        if self.minimum is not None and self.maximum is not None:
            return f"{kind} from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"{kind} of at least {self.minimum:g}"
        return kind

    def check(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.wrong(value, path, ctx)
        if isinstance(value, float) and not math.isfinite(value):
            return self.wrong(value, path, ctx)
        if self.integer and not isinstance(value, int):
            return self.wrong(value, path, ctx)
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            return self.wrong(value, path, ctx)
        return value

    def json_schema(self):
        schema: dict = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            schema["minimum"] = self.minimum
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return schema


class Bool(Type):
    label = "true or false"

    def check(self, value, path, ctx):
        return value if isinstance(value, bool) else self.wrong(value, path, ctx)

    def json_schema(self):
        return {"type": "boolean"}


class Date(Type):
    label = "a date as YYYY-MM-DD"

    def check(self, value, path, ctx):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return self.wrong(value, path, ctx)

    def json_schema(self):
        return {"type": "string", "format": "date"}


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
        return [self.item.check(v, path + (i,), ctx) for i, v in enumerate(value)]

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
            if ck is not INVALID:
                out[ck] = cv
        return out

    def json_schema(self):
        return {"type": "object", "additionalProperties": self.value.json_schema()}


class _KeyContext(Context):
    """Reports a bad mapping key at the key, not at its value."""

    def __init__(self, ctx: Context):
        super().__init__(ctx.doc, ctx.errors)

    def error(self, path, message, key=False):
        return super().error(path, message.replace("expected", "expected a key of", 1), key=True)


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
