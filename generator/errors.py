"""The one error family: :class:`CxsiteError` and what derives from it.

Every problem a user can cause — a YAML typo, a value off the scale, an engagement
naming an unknown questionnaire — becomes an :class:`InputError` that knows the
file, line and column it points at. Validation collects many of them before
giving up (:class:`InputErrors`), so a maintainer fixes a file in one pass.
The CLI turns either into ``path:line:col: message`` lines and exit status 1.

A failure that is not the user's input (a packaged template missing, an
unreadable asset) is an :class:`InternalError`: one paragraph naming what is
missing, exit status 2.

Each kind of problem has a stable ``code`` (``cxsite validate --format json``),
listed once in :data:`CODES` (see :mod:`cxsite.codes`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .codes import CODES, code_for
from .places import display_path  # re-exported: messages name files with it


@dataclass(frozen=True, order=True)
class Location:
    """A place in an input file; line and column are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col or 1}"
        return self.path


class CxsiteError(Exception):
    """The root of every error cxsite reports to its user (and never as a traceback)."""

    exit_status = 1


class InputError(CxsiteError):
    """A problem in user input, with the place it was found.

    Parameters
    ----------
    where
        The file (and line and column) the problem is in, or the option it concerns.
    message
        What is wrong and what to do about it.
    code
        The kind of problem, a key of :data:`CODES`. Left out, it is derived from
        the message (:func:`code_for`), so that the many call sites need not all
        name one; a call site that knows its kind should give it.
    """

    def __init__(self, where: Location | str | Path, message: str, code: str | None = None):
        if not isinstance(where, Location):
            where = Location(str(where))
        self.where = where
        self.message = message
        self.code = code or code_for(message)
        super().__init__(f"{where}: {message}")

    def as_dict(self) -> dict:
        """The problem as ``cxsite validate --format json`` lists it."""
        return {"path": self.where.path, "line": self.where.line, "col": self.where.col,
                "code": self.code, "message": self.message}


class InputErrors(CxsiteError):
    """Several input errors, reported together."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors = sorted(errors, key=lambda e: (e.where, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


class InternalError(CxsiteError):
    """A failure that is not the user's input: cxsite itself is broken or incomplete.

    The message is one paragraph naming what is missing or unreadable and how to
    repair the installation; the CLI prints it and exits with status 2.
    """

    exit_status = 2
    code = "internal"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class ErrorCollector:
    """Gathers errors so that validation can report every problem at once."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, where: Location | str | Path, message: str, code: str | None = None) -> None:
        self.errors.append(InputError(where, message, code))

    def extend(self, errors: Iterable[InputError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)


__all__ = ["CODES", "CxsiteError", "ErrorCollector", "InputError", "InputErrors", "InternalError",
           "Location", "code_for", "did_you_mean", "display_path", "one_of"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A suffix suggesting the closest valid spelling, or an empty string."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices: Iterable[object]) -> str:
    return ", ".join(repr(c) if isinstance(c, str) else str(c) for c in choices)
