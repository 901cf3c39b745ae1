"""Where cxsite's packaged folders are: templates and assets, built-in questionnaires.

In an installed wheel they are package data inside ``cxsite/`` (pyproject maps
``site_templates/`` and ``assessments/`` there); in the source tree, and in an
editable install of it, they are the repository's top-level folders beside
``generator/``.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def package_folder(name: str) -> Path:
    """The packaged folder ``name`` (``site_templates``, ``assessments``).

    Returns the path even when it is missing, so that a caller can say what
    is missing where it is needed; see :func:`missing_packaged`.
    """
    for candidate in (_HERE / name, _HERE.parent / name):  # wheel layout first, then the source tree
        if candidate.is_dir():
            return candidate
    return _HERE / name


def missing_packaged(path: Path) -> str:
    """A message for a packaged file that is not there: the installation is incomplete."""
    return (f"cxsite's packaged file {path} is missing: the installation is incomplete. "
            "Reinstall cxsite (pip install --force-reinstall cxsite), or from a clone run "
            "'pip install -e .' in the repository.")
