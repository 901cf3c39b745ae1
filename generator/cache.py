"""Scoring results cached by the hash of everything they depend on.

A cache entry holds what the pages need of one engagement — its results, the
comments that may be shown and the assessor's notes — under a key made of the
bytes of its questionnaire, its engagement.yml and its responses, and of
cxsite's code (:func:`cxsite.resources.code_files`). The same inputs give the
same key, so a rebuild after one engagement changed reads and scores only that
one; anything else that changed (a questionnaire, the generator) changes the
keys of the engagements it touches. An entry is only ever written after its
inputs passed validation, so a hit needs no second validation.

This module stores and finds entries; :mod:`cxsite.results` alone decides
when to read one and when to score and write one.

Entries are never read stale, only left behind when their inputs change:
every hit refreshes an entry's time, and :meth:`Cache.prune` (called after
each successful build, acting at most once a day) removes what no build has
used for ``KEEP_DAYS`` days.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from pathlib import Path

from . import __version__
from .model import Engagement
from .resources import code_digest

FORMAT = 1
CACHE_DIR = ".cxsite-cache"
KEEP_DAYS = 30
PRUNE_EVERY = 86400  # seconds between two listings of the cache
PRUNED = ".pruned"  # its time is the last listing's


@functools.cache
def _code_hash() -> str:
    """The digest of cxsite's code and data (:func:`cxsite.resources.code_files`), once per process.

    All of it counts, not only what reads and scores: a list of "the modules
    that matter" kept by hand goes stale the day a module is added, and an
    entry kept too long is wrong where one dropped too soon only costs time.
    """
    return code_digest().hex()


def key_for(e: Engagement) -> str:
    # The source is in the results ("assessment": {"source"}): a project copy of a
    # built-in questionnaire, byte for byte the same, is still another entry.
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{_code_hash()}\0{e.questionnaire.source}\0".encode())
    inputs = [Path(e.questionnaire.path_abs), e.folder / "engagement.yml", e.folder / e.responses_file,
              e.folder / "import-quality.json"]
    if e.questionnaire.catalogue_abs:
        inputs.append(Path(e.questionnaire.catalogue_abs))  # a translated questionnaire's texts are in the results
    if e.hierarchy and e.hierarchy.readable:
        inputs.append(e.folder / e.hierarchy.file)  # leaders' figures come from it
    for path in inputs:
        h.update(str(path.name).encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"<missing>")
        h.update(b"\0")
    return h.hexdigest()


class Cache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            os.utime(path)  # in use: not for pruning
        except OSError:
            pass
        return entry

    def prune(self, keep_days: float = KEEP_DAYS) -> int:
        """Remove entries no build has read for ``keep_days`` days; returns how many.

        Files an older cxsite left in ``templates/`` (compiled templates, no
        longer read) go the same way.

        Lists the cache at most once every :data:`PRUNE_EVERY` seconds: every
        build calls this, and a portfolio build's clients listing a cache that
        grows with the portfolio would cost the square of its size.
        """
        marker = self.folder / PRUNED
        now = time.time()
        try:
            if now - marker.stat().st_mtime < PRUNE_EVERY:
                return 0
        except OSError:
            pass  # never pruned yet
        removed = self._remove_older(now - keep_days * 86400)
        try:
            marker.touch()
        except OSError:
            pass  # a cache that cannot be written only costs time
        return removed

    def _remove_older(self, cutoff: float) -> int:
        removed = 0
        for path in self.folder.glob("*/*"):
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                pass  # another build's, or already gone
        return removed

    def put(self, key: str, bundle: dict) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(json.dumps(bundle, sort_keys=True), encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass  # a cache that cannot be written only costs time
