"""Load YAML safely and remember where every value came from.

PyYAML's ``safe_load`` loses line numbers, silently keeps the last of two
duplicate keys, recurses without bound on deep nesting and expands aliases
without limit (the "billion laughs" bomb). Here the document is composed to
nodes and walked by hand, so each of those becomes a located
:class:`~generator.errors.InputError`, and every value's position is kept in
:class:`Doc` for the validators' messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Location

MAX_YAML_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000

Path_ = tuple[object, ...]


@dataclass
class Doc:
    """A loaded YAML document: its plain value and the position of each part.

    ``path`` tuples address values: ``("dimensions", 0, "items", 2, "id")``.
    """

    file: str
    value: Any
    value_pos: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path_, key: bool = False) -> Location:
        """Where the value (or, with ``key``, its key) at ``path`` stands.

        Falls back to the nearest enclosing value, so a missing key is reported
        at the mapping that should hold it.
        """
        table = self.key_pos if key else self.value_pos
        if path in table:
            return Location(self.file, *table[path])
        for cut in range(len(path) - 1, -1, -1):
            if path[:cut] in self.value_pos:
                return Location(self.file, *self.value_pos[path[:cut]])
        return Location(self.file, 1, 1)


def read_text(path: Path, display: str, limit: int) -> str:
    """Read a UTF-8 text file (BOM allowed) or raise a located error."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(display, f"cannot read file: {exc.strerror}") from None
    if size > limit:
        raise InputError(
            display,
            f"file is {size / 1_048_576:.1f} MB, over the {limit // 1_048_576} MB limit "
            "for this kind of file; split it or check that it is the right file",
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            Location(display, line, col),
            f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8 "
            "(or import it with 'cxsite import', which detects other encodings)",
        ) from None
    if "\x00" in text:
        raise InputError(display, "file contains NUL bytes; it is binary, not text")
    return text


# libyaml's parser, where PyYAML was built with it: parsing questionnaires was
# most of a small site's generation time. Both give the same nodes and marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, display: str | None = None) -> Doc:
    """Parse one YAML file into a :class:`Doc`; every problem is an InputError."""
    display = display or str(path)
    text = read_text(path, display, MAX_YAML_BYTES)
    if not text.strip():
        raise InputError(Location(display, 1, 1), "file is empty; expected a YAML mapping")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(display, exc, text) from None
    except yaml.YAMLError as exc:
        raise InputError(display, f"YAML error: {exc}") from None
    except RecursionError:
        raise InputError(display, f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
    doc = Doc(display, None)
    if node is None:
        raise InputError(Location(display, 1, 1), "file holds no YAML document")
    walker = _Walker(doc, loader)
    doc.value = walker.walk(node, (), 0)
    return doc


def _syntax_error(display: str, exc: yaml.MarkedYAMLError, text: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = exc.problem or "syntax error"
    lines = text.splitlines()
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = source[:len(source) - len(source.lstrip())]
    # Judged from the text, not the parser's wording (libyaml and PyYAML word it differently).
    if "\t" in indent or source[col - 1:col] == "\t" or "'\\t'" in problem:
        message = "tab character: YAML indents with spaces only; replace the tab with spaces"
    else:
        context = f" {exc.context}" if exc.context else ""
        message = f"YAML syntax error: {problem}{context}; check the indentation and quoting here"
    return InputError(Location(display, line, col), message)


class _Walker:
    def __init__(self, doc: Doc, loader: yaml.SafeLoader):
        self.doc = doc
        self.loader = loader
        self.nodes = 0

    def _loc(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError(
                Location(self.doc.file, *self._loc(node)),
                f"document expands to more than {MAX_NODES} values (aliases repeated "
                "too often?); write the values out instead of nesting aliases",
            )
        if depth > MAX_DEPTH:
            raise InputError(
                Location(self.doc.file, *self._loc(node)),
                f"nesting is too deep (more than {MAX_DEPTH} levels)",
            )
        self.doc.value_pos.setdefault(path, self._loc(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, path + (i,), depth + 1) for i, child in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise InputError(
                Location(self.doc.file, *self._loc(node)), f"cannot read value: {exc}"
            ) from None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict = {}
        merged: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    value = self.walk(source, path, depth + 1)
                    if not isinstance(value, dict):
                        raise InputError(
                            Location(self.doc.file, *self._loc(source)),
                            "'<<' merges only mappings",
                        )
                    for k, v in value.items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputError(
                    Location(self.doc.file, *self._loc(key_node)),
                    "a mapping key must be a plain value, not a list or mapping",
                )
            key = self.loader.construct_object(key_node)
            if key in result:
                first = self.doc.key_pos[path + (key,)]
                raise InputError(
                    Location(self.doc.file, *self._loc(key_node)),
                    f"duplicate key '{key}' (first at line {first[0]}); "
                    "YAML would silently keep only the last one: remove or rename one",
                )
            self.doc.key_pos[path + (key,)] = self._loc(key_node)
            result[key] = self.walk(value_node, path + (key,), depth + 1)
        for k, v in merged.items():
            result.setdefault(k, v)
        return result
