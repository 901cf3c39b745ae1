"""Seeded synthetic responses for any questionnaire: the example engagements, and benchmarks.

Each respondent has a general attitude, their department a climate of its
own, and the organisation a profile of stronger and weaker dimensions; answers
are those latent scores cut into scale points, with reverse-worded items
answered the other way round, a few blanks and not-applicable answers, and
comments drawn from ``data/example_comments.yml``. The same seed gives the
same file on every run: ``python -m cxsite.synth`` rewrites the examples.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .questionnaires import load_questionnaire
from .errors import ErrorCollector, InputErrors
from .lookup import engagement_folder
from .model import Questionnaire, Scale

COMMENTS = Path(__file__).parent / "data" / "example_comments.yml"


@dataclass
class Spec:
    """What one synthetic engagement looks like."""

    engagement: str
    questionnaire: str
    seed: int
    departments: dict[str, int]                      # name -> respondents
    regions: dict[str, float] = field(default_factory=dict)  # name -> share
    profile: tuple[float, ...] = (0.0,)              # per-dimension shift, cycled
    level: float = 0.0                               # overall shift of the organisation
    climate: dict[str, float] = field(default_factory=dict)  # department -> shift
    blank: float = 0.02
    not_applicable: float = 0.03
    comment_rate: float = 0.15
    unusable: int = 1                                # rows with no scored answer at all
    groups: tuple[str, str] = ("department", "region")  # the two segment columns' names
    # The respondents' language: answers in its catalogue's wording (cxsite.translations), comments
    # from data/example_comments.<language>.yml.
    language: str = "en"


EXAMPLES = [
    Spec("northwind-2025-q4", "service-culture", 2025,
         {"Customer Support": 46, "Operations": 52, "Sales": 38, "Finance": 18, "IT": 21, "Facilities": 4},
         {"North": 0.45, "South": 0.35, "Head office": 0.17},
         profile=(0.2, -0.5, 0.5, 0.0, -0.6, -0.2, 0.4, -0.7), level=-0.25,
         climate={"Customer Support": 0.3, "Operations": -0.3, "Finance": -0.2, "Sales": 0.1}),
    Spec("northwind-2026-q3", "service-culture", 2026,
         {"Customer Support": 49, "Operations": 55, "Sales": 40, "Finance": 19, "IT": 22, "Facilities": 3},
         {"North": 0.45, "South": 0.35, "Head office": 0.17},
         profile=(0.3, -0.2, 0.5, 0.1, -0.3, 0.1, 0.4, -0.4), level=-0.05,
         climate={"Customer Support": 0.35, "Operations": -0.1, "Finance": -0.2, "Sales": 0.1}),
    Spec("harbourline-2026-q2", "customer-focus", 7,
         {"Contact Centre": 58, "Field Service": 44, "Sales": 31, "Billing": 20, "Product": 17, "Legal": 3},
         {"Scotland": 0.4, "England": 0.5},
         profile=(0.4, -0.4, 0.2, 0.5, -0.3, 0.0, -0.6, 0.3), level=0.1,
         climate={"Contact Centre": 0.2, "Billing": -0.4, "Product": 0.3}),
    # Harbourline's customers, asked the same statements in their own words (the mirror): they see
    # the knowing, loyalty and long-term dimensions as less than staff do, and one group is too small.
    Spec("harbourline-customers-2026-q2", "customer-focus", 8,
         {"Households": 98, "Businesses": 52, "Public bodies": 3},
         {"Scotland": 0.4, "England": 0.5},
         profile=(-0.4, -0.3, -0.5, 0.4, -0.2, 0.1, -0.6, -0.6), level=-0.05,
         climate={"Businesses": -0.2}, comment_rate=0.0, groups=("customer_type", "region")),
    # A French-speaking client: its questionnaire and answers in French (assessments/service-culture.fr.po).
    Spec("rhone-energies-2026-q1", "service-culture", 33,
         {"Relation client": 48, "Exploitation": 40, "Ventes": 28, "Finance": 15, "Informatique": 18,
          "Services généraux": 4},
         {"Lyon": 0.5, "Grenoble": 0.3, "Siège": 0.17},
         profile=(0.4, 0.1, -0.3, -0.5, 0.2, -0.2, 0.3, -0.6), level=0.05,
         climate={"Relation client": 0.3, "Exploitation": -0.2, "Informatique": -0.3}, language="fr"),
]

# Harbourline's assessor: one consultant's ratings after a workshop, with evidence for some items.
ASSESSOR = ("harbourline-assessor-2026-q2", "customer-focus", 9,
            (0.0, -0.6, 0.1, 0.3, -0.5, 0.0, -0.7, -0.2), 0.0)
ASSESSOR_NOTES = {
    "kc1": "Account plans list products held, not what customers are trying to achieve.",
    "ee2": "In 6 of 10 observed calls the customer repeated their account details after a transfer.",
    "lr2": "Complaint log: median 9 days to put right, against a 5-day promise.",
    "it2": "Contact-centre agents may waive a fee up to £50 without asking a manager.",
    "pi1": "No proactive advice was found in the sample of 40 account reviews.",
    "fd4": "Refusal letters give a reason and the route to appeal.",
    "if3": "The annual survey's findings for 2025 were not yet shared with front-line teams.",
    "lt2": "Quarterly sales targets override the retention plan in two regions' minutes.",
}


def _point(latent: float, scale: Scale) -> int:
    """Cut a latent score (0 = the scale's middle, about 1 = one point) into a point."""
    mid = (scale.min + scale.max) / 2
    spread = (scale.max - scale.min) / 4
    return max(scale.min, min(scale.max, round(mid + latent * spread)))


def generate(q: Questionnaire, spec: Spec, comments: dict[str, list[str]] | None = None) -> str:
    """The responses CSV text for one synthetic engagement."""
    rng = random.Random(spec.seed)
    comments = comments or {}
    item_bias = {i.id: rng.uniform(-0.3, 0.3) for i in q.items}
    regions = list(spec.regions.items())
    header = list(spec.groups) + [i.id for i in q.items] + [o.id for o in q.outcomes] \
        + [o.id for o in q.open_questions]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    people = [dept for dept, n in spec.departments.items() for _ in range(n)]
    rng.shuffle(people)
    unusable = set(rng.sample(range(len(people)), min(spec.unusable, len(people))))
    # Each comment is written by one person at most: real answers do not repeat word for word.
    pools = {o.id: rng.sample(comments.get(o.id, []), len(comments.get(o.id, []))) for o in q.open_questions}
    for row, dept in enumerate(people):
        attitude = rng.gauss(0, 0.8)
        base = spec.level + spec.climate.get(dept, 0.0) + attitude
        region = ""
        pick = rng.random()
        for name, share in regions:
            if pick < share:
                region = name
                break
            pick -= share
        values: list[str] = [dept, region]
        dim_scores = []
        for di, d in enumerate(q.dimensions):
            shift = spec.profile[di % len(spec.profile)]
            dim_latent = base + shift + rng.gauss(0, 0.5)
            dim_scores.append(dim_latent)
            for item in d.items:
                scale = item.scale
                if row in unusable or rng.random() < spec.blank:
                    values.append("")
                    continue
                if scale.not_applicable and rng.random() < spec.not_applicable:
                    values.append(scale.not_applicable[0])
                    continue
                point = _point(dim_latent + item_bias[item.id] + rng.gauss(0, 0.7), scale)
                if item.reverse:
                    point = scale.min + scale.max - point
                values.append(str(point))
        overall = sum(dim_scores) / len(dim_scores)
        for o in q.outcomes:
            if row in unusable:
                values.append("")
                continue
            if o.scale.kind == "nps":
                values.append(str(max(0, min(10, round(7.0 + 2.2 * overall + rng.gauss(0, 1.4))))))
            else:
                values.append(str(_point(overall + rng.gauss(0, 0.6), o.scale)))
        for o in q.open_questions:
            pool = pools[o.id]
            values.append(pool.pop() if pool and rng.random() < spec.comment_rate else "")
        writer.writerow(values)
    return out.getvalue()


def write_examples(root: Path) -> list[Path]:
    """Rewrite the responses of every example engagement under ``root``."""
    from .translations import translated

    written = []
    for spec in EXAMPLES:
        errors = ErrorCollector()
        q = load_questionnaire(root / "assessments" / f"{spec.questionnaire}.yml", root, errors)
        if q is None:
            raise InputErrors(errors.errors)
        q = translated(q, spec.language, root)
        target = engagement_folder(root, spec.engagement) / "responses.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(generate(q, spec, _comments(spec.language)), encoding="utf-8")
        written.append(target)
    written.append(write_assessor(root))
    return written


def _comments(language: str) -> dict[str, list[str]]:
    """The example comments in ``language``, by open question id."""
    path = COMMENTS if language == "en" else COMMENTS.with_name(f"{COMMENTS.stem}.{language}.yml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


# The example norm: a seeded synthetic portfolio of organisations, one wave each (cxsite.norms).
EXAMPLE_NORM = ("service-culture", "benchmarks/service-culture-synthetic.yml", 30, 19)
NORM_DEPARTMENTS = ("Customer Support", "Operations", "Sales", "Finance", "IT", "Facilities", "Legal")


def synthetic_portfolio(root: Path, q: Questionnaire, organisations: int, seed: int) -> Path:
    """A project under ``root`` of ``organisations`` synthetic clients, one engagement of ``q`` each.

    Fieldwork dates fall between March 2025 and June 2026; sizes, profiles
    and levels are drawn from ``seed``, so the same seed gives the same portfolio.
    """
    import datetime as dt

    rng = random.Random(seed)
    comments = yaml.safe_load(COMMENTS.read_text(encoding="utf-8")) if COMMENTS.is_file() else {}
    (root / "assessments").mkdir(parents=True, exist_ok=True)
    (root / "assessments" / Path(q.path_abs).name).write_bytes(Path(q.path_abs).read_bytes())
    first, span = dt.date(2025, 3, 1), (dt.date(2026, 6, 30) - dt.date(2025, 3, 1)).days
    for n in range(organisations):
        eid = f"org-{n + 1:03d}"
        folder = root / "engagements" / eid
        folder.mkdir(parents=True)
        date = first + dt.timedelta(days=rng.randint(0, span))
        folder.joinpath("engagement.yml").write_text(
            f"client: Organisation {n + 1:03d}\ntitle: Staff survey\nassessment: {q.id}@{q.version}\n"
            f"wave: {date.year}\ndate: {date.isoformat()}\nsegments: [department, region]\n", encoding="utf-8")
        total = rng.randint(30, 160)
        depts = rng.sample(NORM_DEPARTMENTS, 4)
        sizes = {d: max(2, int(total * w)) for d, w in zip(depts, (0.4, 0.3, 0.2, 0.1))}
        spec = Spec(eid, q.id, seed * 1000 + n, sizes, profile=tuple(rng.uniform(-0.6, 0.6) for _ in range(8)),
                    level=rng.uniform(-0.5, 0.4), comment_rate=0.0)
        folder.joinpath("responses.csv").write_text(generate(q, spec, comments), encoding="utf-8")
    return root


def write_example_norm(root: Path) -> Path:
    """Build the example norm from a synthetic portfolio made in a temporary folder; marked synthetic."""
    import tempfile

    from .norms_build import build_norm

    qid, target, organisations, seed = EXAMPLE_NORM
    errors = ErrorCollector()
    q = load_questionnaire(root / "assessments" / f"{qid}.yml", root, errors)
    if q is None:
        raise InputErrors(errors.errors)
    with tempfile.TemporaryDirectory() as tmp:
        portfolio = synthetic_portfolio(Path(tmp) / "portfolio", q, organisations, seed)
        note = f"A seeded synthetic portfolio (cxsite.synth, seed {seed}), for demonstration only."
        build_norm(portfolio, q.id, str(root / target), synthetic=True, note=note)
    return root / target


def assessor_ratings(q: Questionnaire, seed: int, profile: tuple[float, ...], level: float,
                     notes: dict[str, str]) -> str:
    """An assessor's ratings (YAML, one respondent) of ``q``: the profile cut into points, with evidence ``notes``."""
    rng = random.Random(seed)
    answers = {}
    for di, d in enumerate(q.dimensions):
        latent = level + profile[di % len(profile)]
        for item in d.items:
            point = _point(latent + rng.gauss(0, 0.5), item.scale)
            answers[item.id] = item.scale.min + item.scale.max - point if item.reverse else point
    answers.update({o.id: "" for o in q.outcomes})  # an assessor rates the organisation, not their own loyalty
    doc = {"respondents": [answers], "notes": {k: v for k, v in notes.items() if k in answers}}
    return "# Made by `python -m cxsite.synth`: one assessor's ratings, with evidence notes.\n" \
        + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def write_assessor(root: Path) -> Path:
    """Rewrite the example assessor's ratings under ``root``."""
    eid, qid, seed, profile, level = ASSESSOR
    errors = ErrorCollector()
    q = load_questionnaire(root / "assessments" / f"{qid}.yml", root, errors)
    if q is None:
        raise InputErrors(errors.errors)
    target = engagement_folder(root, eid) / "ratings.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(assessor_ratings(q, seed, profile, level, ASSESSOR_NOTES), encoding="utf-8")
    return target


if __name__ == "__main__":
    from .synth_org import write_organisation

    for path in write_examples(Path.cwd()) + write_organisation(Path.cwd()) + [write_example_norm(Path.cwd())]:
        print(f"wrote {path}")
