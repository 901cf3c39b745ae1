"""An engagement's results: the one place that reads the results cache, scores on a miss and writes it.

Every caller that needs what an engagement's pages are made of (the pages,
``cxsite score``, a portfolio build, the MkDocs plugin) asks a
:class:`Results`; none reads or writes :mod:`cxsite.cache` itself, and the
domain object :class:`~cxsite.model.Engagement` carries no cache state.

Loading takes part in one way only: :func:`cxsite.load.load_project` is
given :meth:`Results.known`, and reads no responses for an engagement whose
results are known already. That is what makes a rebuild re-read only the
engagements whose inputs changed; an entry is only ever written after its
inputs passed validation, so a hit needs no second validation.
"""

from __future__ import annotations

import hashlib
import json

from . import trends
from .cache import Cache, key_for
from .comments import visible_comments
from .mirror import with_links
from .model import Engagement
from .responses import load_responses
from .score import score_engagement
from .trends import with_changes


class Results:
    """The results of one project's engagements, each computed or read from the cache once.

    Parameters
    ----------
    cache : Cache or None
        Where results are kept between builds; None scores every engagement.

    Notes
    -----
    A bundle is what the pages need of one engagement: ``result`` (the
    scores, :func:`cxsite.score.score_engagement`), ``comments`` (those that
    may be shown), ``notes`` (the assessor's), ``import_quality`` (the counts
    ``cxsite import`` left) and ``awaiting`` (no responses in yet).
    """

    def __init__(self, cache: Cache | None = None):
        self.cache = cache
        self._keys: dict[str, str] = {}      # engagement id -> cache key, from its inputs as loaded
        self._bundles: dict[str, dict] = {}  # engagement id -> bundle

    def known(self, e: Engagement) -> bool:
        """Whether ``e``'s results are at hand without reading its responses (a cache hit).

        The key is taken here, before the responses are read, so an entry is
        stored under the inputs that were validated.
        """
        if e.id in self._bundles:
            return True
        if self.cache is None:
            return False
        key = self._keys[e.id] = key_for(e)
        entry = self.cache.get(key)
        if entry is None:
            return False
        self._bundles[e.id] = entry
        return True

    def bundle(self, e: Engagement) -> dict:
        """What the pages need of ``e``: from the cache when its inputs are unchanged, else scored and stored."""
        if self.known(e):
            return self._bundles[e.id]
        bundle = score_bundle(e)
        if self.cache is not None:
            self.cache.put(self._keys[e.id], bundle)
        self._bundles[e.id] = bundle
        return bundle

    def result(self, e: Engagement) -> dict:
        """``e``'s scores, as scored or read from the cache (no changes since an earlier wave)."""
        if self.cache is None and e.id not in self._bundles:
            return score_engagement(e)  # nothing is stored: the rest of a bundle would go unused
        return self.bundle(e)["result"]

    def reported(self, e: Engagement, previous: Engagement | None, customers: Engagement | None = None,
                 assessor: Engagement | None = None) -> dict:
        """``e``'s results as reports and ``cxsite score`` give them: with the changes since ``previous``,
        and ``mirror`` and ``assessor`` beside its ``customers``' wave and ``assessor`` ratings (null when not given).

        The changes are computed here, not stored: they depend on the other
        wave's results too, and each wave's entry is kept on its own inputs.
        Waves of two questionnaire versions are compared on the items both
        asked the same way (:mod:`cxsite.trends`).
        """
        from .loop import with_loop  # the plan, its follow-up and the benchmark: read from files, never cached

        reported = with_loop(e, previous, self._changes(e, previous))
        return with_links(reported, e, customers and (customers, self.result(customers)),
                          assessor and (assessor, self.result(assessor)))

    def _changes(self, e: Engagement, previous: Engagement | None) -> dict:
        """``e``'s results with the changes since ``previous`` (see :meth:`reported`)."""
        now = self.result(e)
        if previous is None:
            return with_changes(now, None)
        then = self.result(previous)
        if previous.questionnaire is e.questionnaire:
            return with_changes(now, then)  # one version: every item compared
        plan = trends.plan(previous.questionnaire, e.questionnaire)
        subsets = {}
        if not now["withheld"] and not then["withheld"]:
            for p in plan.dimensions.values():
                if p.reason is None and not p.whole:
                    subsets[p.id] = (self._subset(e, p), self._subset(previous, p))
        return with_changes(now, then, plan, subsets)

    def _subset(self, e: Engagement, p: trends.DimensionPlan) -> dict:
        """Dimension ``p``'s figures in ``e`` on its compared items: from the cache, or from the responses."""
        key = self._keys.get(e.id)
        if key is not None:
            key += "-" + hashlib.sha256("\0".join((p.id, *p.compared)).encode()).hexdigest()[:16]
            stored = self.cache.get(key)
            if stored is not None:
                return stored
        if e.responses is None:
            # Known from the cache, its responses were not read: they are now, for this one figure.
            e.responses = load_responses(e, e.folder.parent.parent)
        figures = trends.subset_figures(e, p.id, p.compared)
        if key is not None:
            self.cache.put(key, figures)
        return figures


def score_bundle(e: Engagement) -> dict:
    """Score ``e``, loaded with its responses, into the bundle its pages are made of."""
    result = score_engagement(e)
    usable = result["respondents"]["usable"] or 0
    return {
        "result": result,
        "comments": None if result["withheld"] else visible_comments(e, usable),
        "notes": dict(e.responses.notes),
        "import_quality": _import_quality(e),
        # A responses file of the header row only: the survey has not run yet.
        "awaiting": len(e.responses) == 0,
    }


def _import_quality(e: Engagement) -> dict | None:
    """The counts 'cxsite import' left beside the responses, if it made them."""
    path = e.folder / "import-quality.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("rows_read"), int) else None
