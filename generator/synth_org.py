"""The seeded example organisation: reporting lines four levels deep, and its staff's answers.

``python -m cxsite.synth`` writes it with the other examples: a
``hierarchy.csv`` (a chief executive, directors, managers, their staff; every
name invented from :data:`GIVEN` and :data:`FAMILY`) and a ``responses.csv``
whose ``employee_id`` column places each respondent in it. Each manager's
team has a climate of its own and each division a shift, so leaders' reports
differ as they do in a real organisation; some teams are small, so the
anonymity rules for nested lines have work to do. The segments (role and
region) cut across the lines, as departments rarely follow reporting lines
exactly.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path

from .errors import ErrorCollector, InputErrors
from .lookup import engagement_folder
from .model import Questionnaire
from .questionnaires import load_questionnaire
from .synth import COMMENTS, Spec, generate

GIVEN = ("Amara", "Ben", "Chloe", "Dev", "Elena", "Finn", "Grace", "Hugo", "Isla", "Jonah", "Kemi", "Leo",
         "Maya", "Nikhil", "Orla", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wei", "Yusuf", "Zoe")
FAMILY = ("Abbott", "Barros", "Chen", "Dunmore", "Eklund", "Fairley", "Gallo", "Hartigan", "Ibsen", "Jovanovic",
          "Kaur", "Lindgren", "Mbeki", "Nolan", "Ortega", "Pryce", "Quayle", "Rahman", "Sato", "Thorne",
          "Ulloa", "Varga", "Whitlock", "Yilmaz", "Zielinski")


@dataclass(frozen=True)
class OrgSpec:
    engagement: str
    questionnaire: str
    seed: int
    divisions: tuple[tuple[str, tuple[int, ...]], ...]   # per director: their division, and each team's staff
    response_rate: float = 0.82


EXAMPLE_ORG = OrgSpec("kestrel-2026-q3", "service-culture", 41, (
    ("Operations", (24, 19, 14, 27, 4)),
    ("Customer Service", (29, 21, 16, 19, 12)),
    ("Sales", (16, 12, 9)),
    ("Support Services", (11, 8, 3)),
))


def people(spec: OrgSpec) -> list[tuple[str, str, str, str]]:
    """``(employee_id, manager_id, name, division)`` of everyone, the top first; ids and names unique."""
    rng = random.Random(spec.seed)
    names = rng.sample([f"{g} {f}" for g in GIVEN for f in FAMILY], 1 + sum(1 + len(t) + sum(t)
                                                                         for _, t in spec.divisions))
    rows, counter = [], iter(range(1, 10_000))

    def add(manager: str, division: str) -> str:
        eid = f"K{next(counter):04d}"
        rows.append((eid, manager, names[len(rows)], division))
        return eid

    top = add("", "")
    for division, teams in spec.divisions:
        director = add(top, division)
        for size in teams:
            manager = add(director, division)
            for _ in range(size):
                add(manager, division)
    return rows


def hierarchy_csv(rows: list[tuple[str, str, str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["employee_id", "manager_id", "name"])
    writer.writerows(r[:3] for r in rows)
    return out.getvalue()


def responses_csv(q: Questionnaire, spec: OrgSpec, rows: list, comments: dict) -> str:
    """Answers of the people who responded, each row led by their employee id; a team's climate shifts its answers.

    :func:`cxsite.synth.generate` writes one row per person of a "department"
    (here: their manager's team); the employee column is put in front, and
    the segment columns become role and region, drawn across the lines.
    """
    rng = random.Random(spec.seed + 1)
    answering = [r for r in rows[1:] if rng.random() < spec.response_rate]
    by_team: dict[str, list[str]] = {}
    for eid, manager, _, _ in answering:
        by_team.setdefault(manager, []).append(eid)
    climate = {team: rng.gauss(0, 0.35) for team in sorted(by_team)}
    shift = {division: rng.gauss(0, 0.2) for division, _ in spec.divisions}
    division_of = {r[0]: r[3] for r in rows}
    synth = Spec(spec.engagement, spec.questionnaire, spec.seed, {t: len(m) for t, m in sorted(by_team.items())},
                 {"": 1.0}, profile=(0.2, -0.4, 0.4, 0.0, -0.5, -0.1, 0.3, -0.6), level=0.0,
                 climate={t: c + shift[division_of[t] or spec.divisions[0][0]] for t, c in climate.items()},
                 comment_rate=0.12)
    table = list(csv.reader(io.StringIO(generate(q, synth, comments))))
    left = {team: list(members) for team, members in by_team.items()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["employee_id", "role", "region", *table[0][2:]])
    for row in table[1:]:
        role = rng.choices(("Frontline", "Specialist", "Manager"), (0.6, 0.3, 0.1))[0]
        region = rng.choices(("North", "Midlands", "South"), (0.35, 0.3, 0.35))[0]
        writer.writerow([left[row[0]].pop(), role, region, *row[2:]])
    return out.getvalue()


def write_organisation(root: Path, spec: OrgSpec = EXAMPLE_ORG) -> list[Path]:
    """Rewrite the example organisation's hierarchy and responses under ``root``."""
    import yaml

    errors = ErrorCollector()
    q = load_questionnaire(root / "assessments" / f"{spec.questionnaire}.yml", root, errors)
    if q is None:
        raise InputErrors(errors.errors)
    comments = yaml.safe_load(COMMENTS.read_text(encoding="utf-8")) if COMMENTS.is_file() else {}
    folder = engagement_folder(root, spec.engagement)
    folder.mkdir(parents=True, exist_ok=True)
    rows = people(spec)
    (folder / "hierarchy.csv").write_text(hierarchy_csv(rows), encoding="utf-8")
    (folder / "responses.csv").write_text(responses_csv(q, spec, rows, comments), encoding="utf-8")
    return [folder / "hierarchy.csv", folder / "responses.csv"]
