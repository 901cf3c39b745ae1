"""cxsite: report sites for organisational culture and customer-experience assessments."""


def __getattr__(name: str) -> str:
    # The version is declared once, in pyproject.toml, and read from the installed
    # metadata only when asked for: importlib.metadata costs tens of milliseconds
    # that every command would otherwise pay at start-up.
    if name != "__version__":
        raise AttributeError(f"module 'cxsite' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("cxsite")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        version = "0+unknown"
    globals()["__version__"] = version
    return version
