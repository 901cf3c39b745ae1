"""A questionnaire as a SurveyJS survey (the JSON ``new Model(json)`` of ``survey-core`` takes).

A page per dimension, then one for the outcomes and one for the open
questions. Every scored question is a ``rating`` question named by its item
id, so SurveyJS's results (``survey.data``: ``{name: value}``) carry the
ids ``cxsite import`` matches; its rate values are the scale's points with
their labels, then the not-applicable answers, valued as the words cxsite
reads as not applicable. Open questions are ``comment`` questions.
"""

from __future__ import annotations

import json

from .model import Item, Questionnaire, Scale


def rate_values(scale: Scale) -> list[dict]:
    """The choices of a question on ``scale``: each point (its label as text), then not applicable."""
    values = [{"value": p, "text": str(p) if scale.kind == "nps" else label} for p, label in scale.points.items()]
    return values + [{"value": na, "text": na} for na in scale.not_applicable]


def rating(item: Item, text: str) -> dict:
    """One scored question; an NPS scale shows 0-10 with its end labels beside them."""
    question = {"type": "rating", "name": item.id, "title": text, "rateValues": rate_values(item.scale)}
    if item.scale.kind == "nps":
        question["minRateDescription"] = item.scale.label(item.scale.min)
        question["maxRateDescription"] = item.scale.label(item.scale.max)
    return question


def survey(q: Questionnaire, texts: dict[str, str]) -> dict:
    """The SurveyJS survey model of ``q`` with each question worded as ``texts`` says."""
    pages = [{"name": d.id, "title": d.title, "elements": [rating(i, texts[i.id]) for i in d.items]}
             for d in q.dimensions]
    if q.outcomes:
        pages.append({"name": "outcomes", "title": "Overall",
                      "elements": [rating(o, texts[o.id]) for o in q.outcomes]})
    if q.open_questions:
        pages.append({"name": "open-questions", "title": "In your own words",
                      "elements": [{"type": "comment", "name": o.id, "title": texts[o.id]}
                                   for o in q.open_questions]})
    return {"title": q.title, "description": q.summary, "showProgressBar": "top", "pages": pages}


def surveyjs_json(q: Questionnaire, texts: dict[str, str]) -> str:
    """:func:`survey` as JSON text; ``json`` escapes every string, so data cannot break out of it."""
    return json.dumps(survey(q, texts), indent=2, ensure_ascii=False) + "\n"
