"""The one build's in-process objects that are not configuration.

``cxsite build`` steers the MkDocs plugin in two ways only. What can be
written in ``mkdocs.yml`` (client, engagements, pdf, offline) goes in as the
plugin's own options, merged with the user's (see
:func:`cxsite.build.merged_plugins`). What cannot (the project it has
loaded and validated already, the progress bar) goes in through this scoped
context: set for the duration of one build with :func:`build_context`, read
by the plugin with :func:`current`. Nothing is set on the plugin class from
outside and no environment variable is involved, so two builds in one
process (a portfolio worker's clients) cannot see each other's objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class BuildContext:
    """What one ``cxsite build`` hands to the plugin, and what the plugin hands back.

    Attributes
    ----------
    root : Path
        The resolved project root; a plugin whose project is another one ignores the context.
    project : cxsite.load.Project or None
        The project as loaded and validated by the caller, so the plugin need not read it again.
    results : cxsite.results.Results or None
        Where that project's results come from (the one the caller loaded it with).
    progress : cxsite.progress.Progress or None
        A bar stepped once per rendered page.
    failure : Exception or None
        The plugin's located error (an ``InputError`` or ``InputErrors``): MkDocs turns a
        plugin's error into a bare "Aborted", so the caller raises this one instead.
    """

    root: Path
    project: Any = None
    progress: Any = None
    results: Any = None
    failure: Exception | None = None


_CURRENT: ContextVar[BuildContext | None] = ContextVar("cxsite_build_context", default=None)


@contextmanager
def build_context(root: Path, project: Any = None, progress: Any = None,
                  results: Any = None) -> Iterator[BuildContext]:
    """Make a :class:`BuildContext` current for the ``with`` block, then forget it.

    Parameters
    ----------
    root : Path
        The project root the build is for.
    project, progress, results
        See :class:`BuildContext`.
    """
    context = BuildContext(root.resolve(), project, progress, results=results)
    token = _CURRENT.set(context)
    try:
        yield context
    finally:
        _CURRENT.reset(token)


def current(root: Path) -> BuildContext | None:
    """The current build's context if it is for the project at ``root``, else None.

    Under a plain ``mkdocs build`` or ``mkdocs serve`` there is none, and the
    plugin loads the project itself.
    """
    context = _CURRENT.get()
    if context is None or context.root != root.resolve():
        return None
    return context
