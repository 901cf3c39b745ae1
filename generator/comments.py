"""Open comments as they may be shown: thresholded, redacted, in no revealing order."""

from __future__ import annotations

from .model import Engagement
from .redact import REDACTED, redact

__all__ = ["REDACTED", "redact", "visible_comments"]


def visible_comments(e: Engagement, usable: int) -> dict[str, list[str]] | None:
    """Comments per open question, or None when the engagement is below the comment threshold.

    Every comment goes through :func:`generator.redact.redact` (contact details,
    addresses and names). Sorted alphabetically rather than in file order, which
    could follow the order people answered in and so hint at who wrote what.
    """
    if usable < e.min_group_size_comments:
        return None
    out: dict[str, list[str]] = {}
    for q in e.questionnaire.open_questions:
        texts = [redact(text) for text in e.responses.comments.get(q.id, [])]
        out[q.id] = sorted(texts, key=lambda t: (t.casefold(), t))
    return out
