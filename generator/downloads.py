"""The files a questionnaire's reference page offers for download: its exports for fielding.

Each is generated into the site where :mod:`cxsite.urls` puts it (``download``), named
by id and version, so a consultant takes exactly the version the report
describes into the client's survey tool. The page links to them by these
paths; MkDocs resolves the links as it does a page's.
"""

from __future__ import annotations

from .errors import InputErrors
from .msgids import N_
from .exports import FORMATS, SUFFIX, default_audience, export_text
from .model import Questionnaire
from .urls import link, site_path

# N_: the page shows each in its language (cxsite.i18n).
LABELS = {"surveyjs": N_("SurveyJS (JSON)"), "qualtrics-txt": N_("Qualtrics (Advanced Format TXT)"),
          "csv-template": N_("CSV template (the responses file's header row)")}
CUSTOMERS = N_("%(format)s, customers' wording")


def audiences(q: Questionnaire) -> list[str]:
    """The wordings offered: the questionnaire's own, and the customers' where every question has one."""
    own = default_audience(q)
    questions = [*q.items, *q.outcomes, *q.open_questions]
    if own == "staff" and all(x.customer_text for x in questions):
        return [own, "customers"]
    return [own]


def questionnaire_downloads(q: Questionnaire, page: str) -> list[dict]:
    """The exports of ``q`` offered on its page ``page`` (a path in the site, such as ``questionnaires/x.md``).

    Returns
    -------
    list of dict
        ``{path, link, label, format, customers, content}`` each: ``path`` in the site, ``link``
        relative to the page, what to call it (in English; ``format`` and
        ``customers`` are its parts, for the page to translate), and the file's text.
    """
    offered = []
    for fmt in FORMATS:
        for audience in ([None] if fmt == "csv-template" else audiences(q)):
            name = f"{q.id}-{q.version}{'-' + audience if audience == 'customers' else ''}.{SUFFIX[fmt]}"
            try:
                content = export_text(q, fmt, audience)
            except InputErrors:
                continue  # a wording the questionnaire does not have (audiences() offers none such)
            label = CUSTOMERS % {"format": LABELS[fmt]} if audience == "customers" else LABELS[fmt]
            offered.append({"path": site_path("download", file=name), "link": link("download", page, file=name),
                            "label": label, "format": LABELS[fmt], "customers": audience == "customers",
                            "content": content})
    return offered
