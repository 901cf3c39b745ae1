"""Rewrite the trio's responses (seeded): ``python tests/projects/trio/make_responses.py`` in the repository.

Staff think clearly better of Care than customers do, customers clearly better of Speed, and
Honesty is alike, so the fixture has an overrated, an underrated and an unclear dimension.
"""

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent
ITEMS = ["c1", "c2", "c3", "s1", "s2", "h1", "h2"]
REVERSED = {"c2"}


def write(path: Path, n: int, shift: dict[str, float], teams: list[str], rng: random.Random) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow((["team"] if teams else []) + ITEMS + ["why"])
        for r in range(n):
            base = rng.gauss(0, 0.8)
            row = [teams[r % len(teams)]] if teams else []
            for item in ITEMS:
                v = max(1, min(5, round(3 + base + shift[item[0]] + rng.gauss(0, 0.8))))
                row.append("" if rng.random() < 0.05 else str(6 - v if item in REVERSED else v))
            w.writerow(row + [""])


if __name__ == "__main__":
    rng = random.Random(17)
    write(HERE / "engagements" / "trio-staff" / "responses.csv", 24, {"c": 1.0, "s": -0.2, "h": 0.2},
          ["North", "South", "East"], rng)
    write(HERE / "engagements" / "trio-customers" / "responses.csv", 18, {"c": -0.6, "s": 1.0, "h": 0.0}, [], rng)
