"""A progress bar for long builds: counts and an ETA on one terminal line."""

from __future__ import annotations

import os
import sys
import time

# Builds of more engagements than this show a bar; smaller ones finish before it helps.
A_FEW = 3


def on_ci() -> bool:
    """CI is set (``CI=true`` on every common CI service; ``false``, ``0`` or empty is not)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


class Progress:
    """A one-line progress bar on stderr, with counts and an ETA.

    Shown only when ``show`` (the caller's judgement that the job is long
    enough to need it), stderr is a terminal and CI is not set, so logs and
    pipes stay clean.
    """

    def __init__(self, total: int, label: str, show: bool = True, stream=None):
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = show and self.stream.isatty() and not on_ci()
        self.restart(total)

    def restart(self, total: int) -> None:
        """Count ``total`` steps from now (once the amount of work is known)."""
        self.total, self.done, self.start = total, 0, time.monotonic()

    def step(self, note: str = "") -> None:
        self.done += 1
        if not self.enabled or self.done > self.total:
            return
        elapsed = time.monotonic() - self.start
        eta = round(elapsed / self.done * (self.total - self.done))
        width = 24
        filled = width * self.done // self.total
        bar = "█" * filled + "·" * (width - filled)
        self.stream.write(f"\r{self.label} {bar} {self.done}/{self.total}  ETA {eta // 60}:{eta % 60:02d} "
                          f"{note[:30]:<30}")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()
