"""The one user-facing error family.

Every problem a user can cause — a YAML typo, a value off the scale, an engagement
naming an unknown questionnaire — becomes an :class:`InputError` that knows the
file, line and column it points at. Validation collects many of them before
giving up (:class:`InputErrors`), so a maintainer fixes a file in one pass.
The CLI turns either into ``path:line:col: message`` lines and exit status 1.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


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


class InputError(Exception):
    """A problem in user input, with the place it was found."""

    def __init__(self, where: Location | str | Path, message: str):
        if not isinstance(where, Location):
            where = Location(str(where))
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}")


class InputErrors(Exception):
    """Several input errors, reported together."""

    def __init__(self, errors: Iterable[InputError]):
        self.errors = sorted(errors, key=lambda e: (e.where, e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


class ErrorCollector:
    """Gathers errors so that validation can report every problem at once."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def add(self, where: Location | str | Path, message: str) -> None:
        self.errors.append(InputError(where, message))

    def extend(self, errors: Iterable[InputError]) -> None:
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A suffix suggesting the closest valid spelling, or an empty string."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices: Iterable[object]) -> str:
    return ", ".join(repr(c) if isinstance(c, str) else str(c) for c in choices)


def display_path(path: Path, root: Path) -> str:
    """``path`` as messages show it: relative to the project root where it lies inside."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
