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


def code_files() -> dict[str, Path]:
    """Every file of cxsite whose change can change what it outputs, by a name that does not depend on the layout.

    Its modules, its data (the word lists redaction reads, under ``data/``),
    and its packaged page templates and assets (as ``site_templates/NAME``).
    Found by listing the package, not kept by hand, so a module or data file
    counts from the day it is added. The built-in questionnaires are not
    here: they are inputs, hashed by each consumer where they are used.

    Returns
    -------
    dict
        ``{name: path}``, sorted by name.
    """
    templates = package_folder("site_templates")
    questionnaires = package_folder("assessments")
    found: dict[str, Path] = {}
    for base, prefix in ((_HERE, ""), (templates, "site_templates/")):
        for path in base.rglob("*"):
            inside = path.relative_to(base)
            if not path.is_file() or "__pycache__" in inside.parts or path.suffix in (".pyc", ".pyo"):
                continue
            if path.is_relative_to(questionnaires) or (base == _HERE and path.is_relative_to(templates)):
                continue  # inputs; or (a wheel's layout) the templates, listed under their own prefix
            found[prefix + inside.as_posix()] = path
    return dict(sorted(found.items()))


def code_digest() -> bytes:
    """A SHA-256 digest of :func:`code_files`, names and contents.

    The one digest of cxsite's code: the results cache keys and the portfolio stamps both hash it.
    """
    import hashlib

    h = hashlib.sha256()
    for name, path in code_files().items():
        h.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.digest()
