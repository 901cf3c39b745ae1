"""Who answered a wave, and the waves a staff engagement is shown beside: ``audience``, ``mirror``, ``assessor``.

A staff wave may name its customers' wave (``mirror:``) and its assessor
ratings (``assessor:``): the same client, the same questionnaire, versions
whose scores compare (the same major version, the maintainers' rule for
trends). Each link is checked here like ``previous`` is, with a located
message. An assessor wave's threshold may be 1 (the assessor is named, not
anonymous); every other wave keeps a real anonymity threshold. A customers'
wave is read, shown and imported in the customers' wording (``customer_text``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from .errors import ErrorCollector, Location, did_you_mean
from .model import Questionnaire
from .qdiff import version_tuple

if TYPE_CHECKING:
    from .load import Project

STAFF, CUSTOMERS, ASSESSOR = "staff", "customers", "assessor"
ANONYMOUS_MIN = 2  # the smallest threshold that keeps anyone anonymous
# Each link: its key, the audience of the wave it must name, how messages call that wave.
LINKS = (("mirror", CUSTOMERS, "a customers' wave"), ("assessor", ASSESSOR, "an assessor wave"))


def audience_fields(raw: dict, doc, questionnaire: Questionnaire, errors: ErrorCollector) -> dict:
    """The :class:`~cxsite.model.Engagement` fields that depend on who answered the wave.

    Parameters
    ----------
    raw : dict
        The checked ``engagement.yml``.
    doc : cxsite.yamlsafe.Document
        Where each key was written, for the messages.
    questionnaire : Questionnaire
        The questionnaire the engagement names.
    errors : ErrorCollector
        Gets a threshold below 2 on a wave that is not an assessor's, and a
        customers' wave of a questionnaire without the customers' wording.

    Returns
    -------
    dict
        ``audience``, ``min_group_size``, ``min_group_size_comments``,
        ``questionnaire`` (a customers' wave: worded for customers), ``mirror``, ``assessor``.
    """
    audience = raw["audience"] or questionnaire.audience
    written = {path[0] for path in doc.key_pos if len(path) == 1}
    k = raw["min_group_size"] if "min_group_size" in written or audience != ASSESSOR else 1
    k_comments = raw["min_group_size_comments"] or k
    for key, value in (("min_group_size", k), ("min_group_size_comments", k_comments)):
        if key in written and value < ANONYMOUS_MIN and audience != ASSESSOR:
            errors.add(doc.at((key,)), f"{key}: {value} is below {ANONYMOUS_MIN}: only an assessor wave "
                                       "(audience: assessor, the assessor is named) may report one person; "
                                       f"give at least {ANONYMOUS_MIN} to keep respondents anonymous",
                       code="threshold-too-low")
    if audience == CUSTOMERS and questionnaire.audience != CUSTOMERS:
        # The rated statements are what the mirror compares: each needs the customers' wording
        # (assessments/README.md). An outcome or open question without one is asked as written.
        lacking = [x.id for x in questionnaire.items if not x.customer_text]
        if lacking:
            where = doc.at(("audience",) if "audience" in written else ("assessment",))
            errors.add(where, f"a customers' wave needs the customers' wording of every item, and "
                              f"questionnaire '{questionnaire.id}' has no customer_text for "
                              f"{', '.join(repr(i) for i in lacking[:5])}{' …' if len(lacking) > 5 else ''}; "
                              "add customer_text to them, or name another audience", code="no-customer-wording")
        else:
            questionnaire = customers_view(questionnaire)
    return {"audience": audience, "min_group_size": k, "min_group_size_comments": k_comments,
            "questionnaire": questionnaire, "mirror": raw["mirror"], "assessor": raw["assessor"]}


def customers_view(q: Questionnaire) -> Questionnaire:
    """``q`` as customers are asked it: every question's ``text`` is its ``customer_text`` (where it has one).

    The pages, charts and importer of a customers' wave read ``text`` like
    any other wave's, so none of them needs to know whose wording it is.
    """
    def worded(x):
        return dataclasses.replace(x, text=x.customer_text or x.text)

    dims = tuple(dataclasses.replace(d, items=tuple(worded(i) for i in d.items)) for d in q.dimensions)
    return dataclasses.replace(q, dimensions=dims, outcomes=tuple(worded(o) for o in q.outcomes),
                               open_questions=tuple(worded(o) for o in q.open_questions),
                               english=q.english and customers_view(q.english))  # a translation's source too


def check_links(project: "Project", errors: ErrorCollector) -> None:
    """``mirror`` and ``assessor`` must name a wave of the right audience of the same client and questionnaire."""
    for eid, e in sorted(project.engagements.items()):
        for key, audience, called in LINKS:
            target = getattr(e, key)
            if not target:
                continue
            where = project.written_at.get(eid, {}).get(key) or Location(e.path)
            problem = _link_problem(project, e, key, audience, called)
            if problem:
                errors.add(where, problem, code=f"{key}-invalid")


def _link_problem(project: "Project", e, key: str, audience: str, called: str) -> str | None:
    """What is wrong with ``e``'s link ``key`` (``mirror`` or ``assessor``), or None."""
    target = getattr(e, key)
    if target == e.id:
        return f"{key} engagement '{target}' is this engagement itself; name {called} of the same client"
    if e.audience != STAFF:
        return (f"{key} engagement '{target}' is named by a wave whose audience is {e.audience}; only a staff "
                f"wave is shown beside {called}: move '{key}' to the staff wave's engagement.yml")
    other = project.engagements.get(target)
    if other is None:
        return (f"{key} engagement '{target}' not found{did_you_mean(target, project.engagements)}; "
                "expected the folder name of an engagement in engagements/")
    if other.client != e.client:
        return f"{key} engagement '{target}' belongs to client '{other.client}', not '{e.client}'"
    if other.audience != audience:
        return (f"{key} engagement '{target}' was answered by {other.audience} (audience: {other.audience}); "
                f"'{key}' must name {called} (audience: {audience})")
    mine, theirs = e.questionnaire, other.questionnaire
    if mine.id != theirs.id:
        return (f"{key} engagement '{target}' uses questionnaire '{theirs.id}', not '{mine.id}'; "
                "the two waves must answer the same questionnaire")
    if version_tuple(mine.version)[0] != version_tuple(theirs.version)[0]:
        return (f"{key} engagement '{target}' uses '{theirs.id}' version {theirs.version}, whose scores do not "
                f"compare with version {mine.version} (another major version); pin both waves to one major version")
    return None


def linked_ids(project: "Project", keep: set[str]) -> set[str]:
    """The waves the engagements in ``keep`` are shown beside (their ``mirror`` and ``assessor``)."""
    found = set()
    for eid in keep:
        e = project.engagements.get(eid)
        for key, _, _ in LINKS:
            target = getattr(e, key, None) if e else None
            if target and target in project.engagements:
                found.add(target)
    return found
