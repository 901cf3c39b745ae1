"""Marking cxsite's own UI strings where Python defines them (``N_``), for the catalogues.

A light module of its own: scoring and validation mark their reasons with it
and import nothing of the report's rendering (no Jinja, no Babel).
"""


def N_(message: str) -> str:
    """Mark ``message`` for extraction where it is defined; it is translated where it is shown (cxsite.i18n)."""
    return message
