"""An engagement's results come from one owner (cxsite.results), which alone reads and writes the cache."""

import dataclasses

from cxsite.cache import Cache
from cxsite.load import load_project
from cxsite.model import Engagement
from cxsite.pages import build_pages
from cxsite.results import Results

EID = "tiny-2026"


def test_results_are_scored_once_stored_and_read_back_without_responses(tiny, tmp_path, monkeypatch):
    import cxsite.results

    scored = []
    real = cxsite.results.score_engagement
    monkeypatch.setattr(cxsite.results, "score_engagement", lambda e: scored.append(e.id) or real(e))
    cache = Cache(tmp_path / "cache")
    first = Results(cache)
    e = load_project(tiny, known=first.known).engagements[EID]
    bundle = first.bundle(e)
    assert first.bundle(e) is bundle and scored == [EID]  # asked twice, scored once
    assert len(list((tmp_path / "cache").rglob("*.json"))) == 1

    second = Results(cache)
    again = load_project(tiny, known=second.known).engagements[EID]
    assert again.responses is None  # known from the cache: not read again
    assert second.bundle(again)["result"] == bundle["result"] and scored == [EID]


def test_building_pages_writes_no_cache_unless_given_one(tiny, tmp_path):
    build_pages(load_project(tiny))
    assert not (tiny / ".cxsite-cache").exists()
    cache = Cache(tmp_path / "cache")
    results = Results(cache)
    build_pages(load_project(tiny, known=results.known), results=results)
    assert list((tmp_path / "cache").rglob("*.json"))


def test_an_engagement_holds_no_loader_or_cache_state():
    names = {f.name for f in dataclasses.fields(Engagement)}
    assert not names & {"cache_key", "cached", "bundle", "results", "previous_at", "invited_at"}


def test_score_command_writes_no_cache(tiny, cli):
    code, out, err = cli("--project", tiny, "score", EID)
    assert code == 0, err
    assert '"usable"' in out
    assert not (tiny / ".cxsite-cache").exists()
