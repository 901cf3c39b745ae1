"""Open comments as they may be shown: thresholded, redacted, in no revealing order."""

from __future__ import annotations

from .disclosure import comments_shown
from .model import Engagement
from .redact import REDACTED, redact

__all__ = ["REDACTED", "redact", "visible_comments"]


def visible_comments(e: Engagement, usable: int) -> dict[str, list[str]] | None:
    """Comments per open question, or None when the engagement is below the comment threshold.

    Whether comments are shown at all is disclosure control's decision
    (:func:`cxsite.disclosure.comments_shown`). Every comment goes through
    :func:`cxsite.redact.redact` (contact details,
    addresses and names). Sorted alphabetically rather than in file order, which
    could follow the order people answered in and so hint at who wrote what.
    """
    if not comments_shown(usable, e.min_group_size_comments):
        return None
    out: dict[str, list[str]] = {}
    for q in e.questionnaire.open_questions:
        texts = [redact(text) for text in e.responses.comments.get(q.id, [])]
        out[q.id] = sorted(texts, key=lambda t: (t.casefold(), t))
    return out
