"""Open comments as they may be shown: thresholded, redacted, in no revealing order."""

from __future__ import annotations

import re

from .model import Engagement

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Eight or more digits, allowing the spaces, dots, dashes and brackets people type in numbers.
PHONE = re.compile(r"(?<![\w])\+?\(?\d(?:[\s().-]*\d){7,}")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """Replace e-mail addresses and phone numbers with ``[redacted]``."""
    return PHONE.sub(REDACTED, EMAIL.sub(REDACTED, text))


def visible_comments(e: Engagement, usable: int) -> dict[str, list[str]] | None:
    """Comments per open question, or None when the engagement is below the comment threshold.

    Sorted alphabetically rather than in file order, which could follow the
    order people answered in and so hint at who wrote what.
    """
    if usable < e.min_group_size_comments:
        return None
    out: dict[str, list[str]] = {}
    for q in e.questionnaire.open_questions:
        texts = [redact(text) for text in e.responses.comments.get(q.id, [])]
        out[q.id] = sorted(texts, key=lambda t: (t.casefold(), t))
    return out
