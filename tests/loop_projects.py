"""Mini-projects for closing the loop: waves of the tiny questionnaire with a plan, portfolios for norms.

Built from tests/projects/tiny (its questionnaire: d1 = a, b reversed; d2 = c, d, e;
an NPS outcome; segment 'team'), so every score can be worked out by hand.
"""

from __future__ import annotations

from pathlib import Path

HEADER = "respondent_id,team,a,b,c,d,e,nps,why\n"


def add_engagement(root: Path, eid: str, client: str, date: str, rows: list[str], previous: str | None = None,
                   extra: str = "", min_group_size: int = 2) -> Path:
    """An engagement of the tiny questionnaire: ``rows`` are CSV lines after the header."""
    folder = root / "engagements" / eid
    folder.mkdir(parents=True)
    (folder / "engagement.yml").write_text(
        f"client: {client}\ntitle: Staff survey\nassessment: tiny@1.0.0\nwave: '{date[:4]}'\ndate: {date}\n"
        f"segments: [team]\nmin_group_size: {min_group_size}\n"
        + (f"previous: {previous}\n" if previous else "") + extra, encoding="utf-8")
    (folder / "responses.csv").write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return folder


def uniform_rows(level: int, n: int = 4, team: str = "X") -> list[str]:
    """``n`` respondents answering ``level`` (1-5) to every item (b, reversed, the other way round)."""
    return [f"r{i},{team},{level},{6 - level},{level},{level},{level},{2 * level},"
            for i in range(n)]


PLAN = """owners: roles
actions:
  - dimension: d1
    action: {band: low, number: 1}
    owner: Head of Operations
    due: 2026-09-30
    status: done
    note: Agreed with jane.doe@example.com in July.
  - dimension: d2
    action: Publish the team's response times.
    owner: Team leads
    due: 2026-12-31
    status: doing
"""


def two_waves(root: Path) -> None:
    """tiny-2026 (the tiny project's wave) with a plan, and its next wave tiny-2027 (higher on d1)."""
    (root / "engagements" / "tiny-2026" / "actions.yml").write_text(PLAN, encoding="utf-8")
    rows = [f"s{i},{'XY'[i % 2]},5,1,{3 + i % 2},4,4,9," for i in range(8)]
    add_engagement(root, "tiny-2027", "Tiny Co", "2027-06-30", rows, previous="tiny-2026")
