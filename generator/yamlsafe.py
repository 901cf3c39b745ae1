"""Load YAML safely and remember where every value came from.

PyYAML's ``safe_load`` loses line numbers, silently keeps the last of two
duplicate keys, recurses without bound on deep nesting and expands aliases
without limit (the "billion laughs" bomb). Here the document is composed to
nodes and walked by hand, so each of those becomes a located
:class:`~cxsite.errors.InputError`, and every value's position is kept in
:class:`Doc` for the validators' messages.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Location
from .limits import MAX_YAML_BYTES, read_limited
from .places import line_col

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
    # The text as written of every plain scalar YAML did not read as text
    # (``2026.10``, ``yes``, ``007``): a Text field keeps what the author typed,
    # not the float 2026.1, True or the octal 7 (see schema.Text).
    value_raw: dict[Path_, str] = field(default_factory=dict)
    key_raw: dict[Path_, str] = field(default_factory=dict)

    def written(self, path: Path_, key: bool = False) -> str | None:
        """The source text of the plain scalar at ``path`` (or of its key), if it was not text."""
        return (self.key_raw if key else self.value_raw).get(path)

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


def read_text(path: Path, display: str, limit: int, csv: bool = False) -> str:
    """Read a UTF-8 text file (BOM allowed) or raise a located error.

    ``csv`` adds the hint that survey exports in other encodings go through
    ``cxsite import``.
    """
    data = read_limited(path, display, limit)
    check_utf8([data], display, csv)
    return data.decode("utf-8-sig")


# Byte-order marks: the codec that reads a file starting with one, and the
# encoding's name. Longest first, since UTF-32-LE's starts with UTF-16-LE's.
# A spreadsheet or Windows editor saves UTF-16 or UTF-32 as "Unicode".
BOMS = ((codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
        (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
        (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
_SAVE_AS = "re-save the file as UTF-8"
_IMPORT = " (or import it with 'cxsite import', which detects other encodings)"


def file_chunks(path: Path, size: int = 1 << 20):
    """The bytes of ``path`` in consecutive chunks, for :func:`check_utf8` without holding the whole file."""
    with open(path, "rb") as stream:
        while chunk := stream.read(size):
            yield chunk


def check_utf8(chunks: Iterable[bytes], display: str, csv: bool = False) -> None:
    """Raise a located :class:`InputError` unless the bytes of ``chunks`` are UTF-8 text.

    The file is given as consecutive chunks so that a large CSV is checked
    without holding it whole. Refused, each at its line and column: UTF-16 and
    UTF-32 (by their byte-order mark, or by the NUL bytes between ASCII
    letters), NUL bytes (a binary file), and bytes that are not UTF-8, named
    with what they would be in Windows-1252 (Latin-1), the usual culprit.
    """
    hint = _IMPORT if csv else ""
    decoder = codecs.getincrementaldecoder("utf-8")()
    pending = b""         # the end of the last chunk: a character its next chunk completes
    lines = 1             # line of the first byte of ``pending + chunk``
    line_start = b""      # the bytes of that line before it (for columns)
    for chunk in chunks:
        first = lines == 1 and not line_start and not pending
        if first:
            for bom, _, name in BOMS:
                if chunk.startswith(bom) and name != "UTF-8":  # UTF-8's own BOM is read and dropped
                    raise InputError(Location(display, 1, 1), f"file is {name}, not UTF-8; {_SAVE_AS}{hint}")
        data = pending + chunk
        nul = data.find(b"\x00")
        decoder.reset()
        try:
            decoder.decode(data)
            bad = None
        except UnicodeDecodeError as exc:
            bad = exc.start
        found = [x for x in (nul if nul >= 0 else None, bad) if x is not None]
        if found:
            stop = min(found)
            line, col = line_col(line_start + data, len(line_start) + stop, first_line=lines)
            message = _nul_message(data, first) if stop == nul else _byte_message(data, stop)
            if "UTF-16" in message:
                line, col = 1, 1  # about the whole file, not the byte found
            raise InputError(Location(display, line, col), message + ("" if "binary" in message else hint))
        pending = decoder.getstate()[0]
        done = data[:len(data) - len(pending)]
        lines += done.count(b"\n")
        cut = done.rfind(b"\n")
        line_start = (done[cut + 1:] if cut >= 0 else line_start + done)[-4096:]  # bounded memory
    if pending:
        raise InputError(Location(display, lines, 1),
                         f"the file ends in the middle of a UTF-8 character (cut off?); {_SAVE_AS}{hint}")


def _nul_message(chunk: bytes, first: bool) -> str:
    sample = chunk[:4096]
    # ASCII text saved as UTF-16 without a byte-order mark: every other byte is NUL.
    if first and len(sample) >= 4 and sample.count(b"\x00") * 2 >= len(sample) - 1:
        return f"file looks like UTF-16 (a NUL byte beside each letter), not UTF-8; {_SAVE_AS}"
    return _binary("NUL byte")


def _binary(what: str) -> str:
    return f"{what}: this is a binary file, not text (the wrong file, or a damaged one?); give a UTF-8 text file"


_CONTROL = bytes(c for c in range(32) if c not in b"\t\n\r\x0c")


def _byte_message(chunk: bytes, at: int) -> str:
    byte = chunk[at]
    near = chunk[max(at - 512, 0):at + 512]
    if any(c in _CONTROL for c in near):
        # Control bytes beside the bad one: not text in some other encoding but a binary file.
        return _binary(f"byte 0x{byte:02x}")
    guess = bytes([byte]).decode("cp1252", "replace")
    seems = f" (it reads as '{guess}' in Latin-1/Windows-1252)" if guess.isprintable() and guess != "\ufffd" else ""
    return f"byte 0x{byte:02x} is not UTF-8{seems}; {_SAVE_AS}"


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
        return self._scalar(node, path, self.doc.value_raw)

    def _scalar(self, node: yaml.Node, path: Path_, raw: dict[Path_, str]) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise InputError(
                Location(self.doc.file, *self._loc(node)), f"cannot read value: {exc}"
            ) from None
        except (ValueError, OverflowError):
            # A plain scalar YAML resolves to a type it then cannot build: an
            # impossible date (2026-02-30), an integer of thousands of digits.
            # It stays the text written, for the field's own check to refuse.
            return node.value
        # A plain scalar's style is None in PyYAML's parser, '' in libyaml's.
        if isinstance(node, yaml.ScalarNode) and not node.style and not isinstance(value, str):
            raw[path] = node.value
        return value

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
            key = self._scalar(key_node, path + (None,), {})
            if isinstance(key, (dict, list, set)) or not _hashable(key):
                raise InputError(Location(self.doc.file, *self._loc(key_node)),
                                 "a mapping key must be a plain value, not a list or mapping")
            if not key_node.style and not isinstance(key, str):
                self.doc.key_raw[path + (key,)] = key_node.value
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


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
