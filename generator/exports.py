"""A questionnaire in the import formats of the tools consultants field surveys with.

``cxsite export ID[@VERSION] --to FORMAT``: the consultant fields exactly the
items of the version the report will score, in the client's survey tool, and
the tool's export comes back through ``cxsite import``. Each format is made
by its own module; this one chooses the wording (staff or customers) and
dispatches.

============== ===========================================================
surveyjs       SurveyJS survey JSON (:mod:`cxsite.export_surveyjs`)
qualtrics-txt  Qualtrics Advanced Format TXT import (:mod:`cxsite.export_qualtrics`)
csv-template   the header row ``cxsite import`` and the responses file expect
============== ===========================================================
"""

from __future__ import annotations

import csv
import io

from .choices import EXPORT_FORMATS
from .errors import InputError, InputErrors, Location
from .model import Questionnaire

FORMATS = EXPORT_FORMATS
# The file name each format is offered under on the site (questionnaire page).
SUFFIX = {"surveyjs": "surveyjs.json", "qualtrics-txt": "qualtrics.txt", "csv-template": "responses-template.csv"}


def default_audience(q: Questionnaire) -> str:
    """Whose wording an export uses when none is asked for: the questionnaire's own audience."""
    return "customers" if q.audience == "customers" else "staff"


def wording(q: Questionnaire, audience: str | None) -> dict[str, str]:
    """Each question's text as ``audience`` is asked it: item, outcome and open-question id -> text.

    A staff questionnaire put to customers uses every question's
    ``customer_text``; one that has none is refused rather than asking
    customers the staff wording.

    Raises
    ------
    InputErrors
        ``--audience customers`` for a questionnaire whose questions lack ``customer_text``.
    InputError
        ``--audience staff`` for a questionnaire answered by customers.
    """
    audience = audience or default_audience(q)
    questions = [*q.items, *q.outcomes, *q.open_questions]
    if audience == "staff" and q.audience == "customers":
        # Its text is the customers' wording: putting it to staff would ask them as customers.
        raise InputError(Location(q.path), f"questionnaire '{q.id}' is answered by customers and has no staff "
                                           "wording; export it with --audience customers", code="bad-option")
    if audience == q.audience or audience == "staff":
        return {x.id: x.text for x in questions}
    lacking = [x.id for x in questions if not x.customer_text]
    if lacking:
        from .versions import positions, question_at

        doc = positions(q)
        raise InputErrors([InputError(question_at(doc, i) if doc else Location(q.path),
                                      f"question '{i}' has no customer_text, so it cannot be put to "
                                      "customers; add one, or export with --audience staff", code="bad-option")
                           for i in lacking])
    return {x.id: x.customer_text for x in questions}


def csv_template(q: Questionnaire) -> str:
    """The header row of a responses file of ``q``: what ``cxsite new engagement`` writes and
    ``cxsite import`` matches by id (segment columns are the engagement's, added to it there)."""
    from .scaffold import response_header

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(response_header(q, []))
    return out.getvalue()


def export_text(q: Questionnaire, fmt: str, audience: str | None = None) -> str:
    """``q`` in format ``fmt`` (one of :data:`FORMATS`), worded for ``audience``."""
    if fmt == "csv-template":
        return csv_template(q)
    texts = wording(q, audience)
    if fmt == "surveyjs":
        from .export_surveyjs import surveyjs_json

        return surveyjs_json(q, texts)
    from .export_qualtrics import qualtrics_txt

    return qualtrics_txt(q, texts)
