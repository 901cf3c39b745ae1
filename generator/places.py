"""Where a message points: a path as messages show it, a byte offset as line and column.

Every located message (``path:line:col: …``) is built from these two, so a
file is named the same way and a column counted the same way whichever
check found the problem.
"""

from __future__ import annotations

import re
from pathlib import Path


def inside(path: Path, root: Path) -> str | None:
    """``path`` relative to ``root``, with '/' between parts, or ``None`` where it lies outside.

    The path as given is tried first, so a link inside the project is shown by
    its own name; then both resolved, for a relative path or a root reached
    through a link.
    """
    for p, r in ((path, root), (path.resolve(), root.resolve())):
        try:
            return p.relative_to(r).as_posix()
        except ValueError:
            continue
    return None


def display_path(path: Path, root: Path) -> str:
    """``path`` as messages show it: relative to the project root where it lies inside."""
    shown = inside(Path(path), Path(root))
    return str(path) if shown is None else shown


def line_col(text: bytes | str, offset: int, first_line: int = 1) -> tuple[int, int]:
    """Line and column (both 1-based) of ``offset`` in ``text``.

    The column counts characters, as an editor shows them: bytes are read as
    UTF-8, a byte that is not UTF-8 counting as one. ``first_line`` is
    the line ``text`` starts on, for a file read in chunks.
    """
    newline = b"\n" if isinstance(text, bytes) else "\n"
    start = text.rfind(newline, 0, offset) + 1
    before = text[start:offset]
    if isinstance(before, bytes):
        before = before.decode("utf-8", "replace")
    return first_line + text.count(newline, 0, offset), len(before) + 1


def slugify(text: str) -> str:
    """A client name as a folder name: ``"Acme Ltd." -> "acme-ltd"``."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "client"
