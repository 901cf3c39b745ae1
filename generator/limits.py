"""The size limits on input files, and the one check that applies them.

A file over its limit is refused before it is read: a 2 GB file named like a
CSV must not be loaded into memory only to be found wrong. Every reader of
user files (YAML documents, response files, survey exports, logos) takes its
limit from here and its message from :func:`check_size`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import InputError

MB = 1024 * 1024
MAX_YAML_BYTES = 5 * MB      # a questionnaire, engagement.yml, ratings or a columns map
MAX_CSV_BYTES = 256 * MB     # an engagement's responses.csv (500,000 x 40 is about 90-150 MB)
MAX_EXPORT_BYTES = 64 * MB   # a survey tool's export, read by 'cxsite import'
MAX_LOGO_BYTES = 2 * MB      # a client's logo

_ADVICE = "split it or check that it is the right file"


def check_size(path: Path, display: str, limit: int, kind: str = "this kind of file",
               advice: str = _ADVICE) -> int:
    """The size of ``path`` in bytes; a located :class:`InputError` when it is over ``limit``.

    Parameters
    ----------
    path, display
        The file, and its name as messages show it.
    limit
        The most bytes the file may have.
    kind, advice
        Complete the message: "… over the N MB limit for ``kind``; ``advice``".

    Raises
    ------
    InputError
        The file is over the limit, or cannot be read at all.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(display, f"cannot read file: {exc.strerror}") from None
    if size > limit:
        raise InputError(display, f"file is {size / MB:.1f} MB, over the {limit // MB} MB limit for "
                                  f"{kind}; {advice}")
    return size


def read_limited(path: Path, display: str, limit: int, kind: str = "this kind of file",
                 advice: str = _ADVICE) -> bytes:
    """The bytes of ``path``, once :func:`check_size` has let it through."""
    check_size(path, display, limit, kind, advice)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(display, f"cannot read file: {exc.strerror}") from None
