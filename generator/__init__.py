"""cxsite: report sites for organisational culture and customer-experience assessments."""

from importlib import metadata

try:
    # The version is declared once, in pyproject.toml; the installed metadata carries it.
    __version__ = metadata.version("cxsite")
except metadata.PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0+unknown"
