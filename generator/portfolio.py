"""One site per client: the whole portfolio, in parallel, or a deterministic shard of it.

Building each client's site on its own keeps the cost of a site flat however
large the practice grows: MkDocs renders the whole navigation into every
page, so one big site costs more per page as it grows.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .errors import InputError, InputErrors
from .load import load_project, slugify


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> (2, 5): the second of five slices, 1-based."""
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise InputError("--shard", f"expected I/N such as 1/4, got {text!r}") from None
    if not (n >= 1 and 1 <= i <= n):
        raise InputError("--shard", f"expected I/N with 1 <= I <= N, got {text!r}")
    return i, n


def pick_shard(clients: list[str], shard: tuple[int, int] | None) -> list[str]:
    """Clients sorted by slug, dealt round-robin: the same slice on every machine."""
    ordered = sorted(clients, key=lambda c: (slugify(c), c))
    if shard is None:
        return ordered
    i, n = shard
    return [c for k, c in enumerate(ordered) if k % n == i - 1]


class Progress:
    """A one-line progress bar on stderr, with counts and an ETA.

    Quiet when stderr is not a terminal or CI is set, so logs stay clean.
    """

    def __init__(self, total: int, label: str, stream=None):
        self.total, self.label, self.done = total, label, 0
        self.stream = stream or sys.stderr
        self.start = time.monotonic()
        self.enabled = total > 3 and self.stream.isatty() and not os.environ.get("CI")

    def step(self, note: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done)
        width = 24
        filled = width * self.done // self.total
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r{self.label} {bar} {self.done}/{self.total}  ETA {int(eta) // 60}:{int(eta) % 60:02d} "
                          f"{note[:30]:<30}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def _build_one(root: str, out: str, client: str, pdf: bool, offline: bool) -> str:
    from .build import build_site

    build_site(Path(root), Path(out), client=client, pdf=pdf, offline=offline)
    return client


def build_all_clients(root: Path, out: Path, jobs: int = 1, shard: tuple[int, int] | None = None,
                      pdf: bool = False, offline: bool = False) -> dict[str, Path]:
    """Build ``out/<client-slug>/`` for every client (of the shard); returns client -> folder."""
    project = load_project(root)  # every problem up front, before any site is touched
    clients = pick_shard(project.clients(), shard)
    slugs: dict[str, str] = {}
    for c in clients:
        slug = slugify(c)
        if slug in slugs.values():
            other = next(k for k, v in slugs.items() if v == slug)
            raise InputError("--all-clients", f"clients '{other}' and '{c}' share the folder name '{slug}'; "
                                              "rename one in its engagement.yml")
        slugs[c] = slug
    out.mkdir(parents=True, exist_ok=True)
    progress = Progress(len(clients), "building client sites")
    errors = []
    if jobs <= 1:
        for c in clients:
            try:
                _build_one(str(root), str(out / slugs[c]), c, pdf, offline)
            except (InputError, InputErrors) as exc:
                errors.append((c, exc))
            progress.step(c)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_build_one, str(root), str(out / slugs[c]), c, pdf, offline): c
                       for c in clients}
            for f in as_completed(futures):
                try:
                    f.result()
                except (InputError, InputErrors) as exc:
                    errors.append((futures[f], exc))
                progress.step(futures[f])
    if errors:
        raise InputErrors([InputError(f"client '{c}'", str(exc)) for c, exc in sorted(errors, key=lambda x: x[0])])
    return {c: out / slugs[c] for c in clients}
