"""What a report was built from, so that a reader can check it against the data.

:func:`provenance` is the ``provenance`` of ``cxsite score`` JSON and of the
methodology page: the questionnaire (id, version, SHA-256 of its file's
bytes, project or built-in), the SHA-256 of the responses file's bytes, the
versions of cxsite, MkDocs and Material, and when it was built.

Versions are read from the installed packages' metadata: the core never
imports MkDocs. ``built`` comes from :mod:`cxsite.clock` (SOURCE_DATE_EPOCH
honoured) at the moment of asking, never from the results cache: cached
results are keyed by their inputs, and a build time in them would make every
entry stale, or show an old time as new.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from . import clock
from .msgids import N_
from .model import Engagement

# A questionnaire's source as the methodology names it, in the page's language.
SOURCES = (N_("built-in"), N_("project"))

DISTRIBUTIONS = {"cxsite_version": "cxsite", "mkdocs_version": "mkdocs", "material_version": "mkdocs-material"}


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, hex, read in blocks (a responses file may be large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def package_version(distribution: str) -> str | None:
    """An installed distribution's version, or ``None`` when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def provenance(e: Engagement) -> dict:
    """The provenance of engagement ``e``'s report.

    Parameters
    ----------
    e
        A loaded engagement: its questionnaire knows its file (``path_abs``)
        and source, and its responses file is ``e.folder / e.responses_file``.

    Returns
    -------
    dict
        ``{questionnaire: {id, version, sha256, source, catalogue}, responses_sha256,
        cxsite_version, mkdocs_version, material_version, built}``; ``built``
        is an ISO 8601 time in UTC, to the second.
    """
    q = e.questionnaire
    result = {
        "questionnaire": {"id": q.id, "version": q.version, "sha256": file_sha256(Path(q.path_abs)),
                          "source": q.source,
                          # A translated questionnaire's texts come from its catalogue: which one, and its bytes.
                          "catalogue": {"language": q.language, "sha256": file_sha256(Path(q.catalogue_abs))}
                          if q.catalogue_abs else None},
        "responses_sha256": file_sha256(e.folder / e.responses_file),
    }
    result.update({key: package_version(name) for key, name in DISTRIBUTIONS.items()})
    result["built"] = clock.now().isoformat(timespec="seconds")
    return result
