from cxsite.cache import Cache, key_for
from cxsite.load import load_project
from cxsite.pages import build_pages


def build(root, cache):
    project = load_project(root, cache=cache)
    return project, build_pages(project, cache=cache)


def test_unchanged_engagements_come_from_the_cache(tmp_path, monkeypatch):
    from conftest import copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    root = copy_project("twoclients", tmp_path)
    cache = Cache(tmp_path / "cache")
    first_project, first = build(root, cache)
    assert all(e.cached is None and e.responses for e in first_project.engagements.values())

    second_project, second = build(root, cache)
    assert all(e.cached is not None and e.responses is None for e in second_project.engagements.values())
    assert second.pages == first.pages

    csv = root / "engagements" / "tiny-2026" / "responses.csv"
    csv.write_text(csv.read_text().replace("r1,X,5,1", "r1,X,1,5"))
    third_project, third = build(root, cache)
    assert third_project.engagements["tiny-2026"].cached is None        # re-read and re-scored
    assert third_project.engagements["zebra-2026"].cached is not None   # untouched
    assert third.pages["engagements/tiny-2026/index.md"] != first.pages["engagements/tiny-2026/index.md"]
    assert third.pages["engagements/zebra-2026/index.md"] == first.pages["engagements/zebra-2026/index.md"]


def test_questionnaire_change_changes_the_key(tiny):
    e = load_project(tiny, responses=False).engagements["tiny-2026"]
    before = key_for(e)
    q = tiny / "assessments" / "tiny.yml"
    q.write_text(q.read_text().replace("Statement A.", "Statement A reworded."))
    assert key_for(load_project(tiny, responses=False).engagements["tiny-2026"]) != before


def test_a_corrupt_entry_is_recomputed(tiny, tmp_path):
    cache = Cache(tmp_path / "cache")
    build(tiny, cache)
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text("{ not json")
    project, site = build(tiny, cache)
    assert project.engagements["tiny-2026"].cached is None
    assert "Tiny Co scores" in site.pages["engagements/tiny-2026/index.md"]


def test_an_edited_template_is_seen_by_the_next_build(tiny, tmp_path):
    """Each build is a fresh process; compiled templates are kept in memory only,
    so nothing compiled is left in the project (see test_code_from_data)."""
    import subprocess
    import sys

    from cxsite.render import DEFAULT_TEMPLATES

    (tiny / "site_templates").mkdir()
    override = tiny / "site_templates" / "methodology.md.j2"
    original = (DEFAULT_TEMPLATES / "methodology.md.j2").read_text()

    def build(mark):
        override.write_text(original + f"\n{mark}\n")
        done = subprocess.run([sys.executable, "-m", "cxsite", "--project", str(tiny), "build",
                               "--site-dir", str(tmp_path / "site")], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return (tmp_path / "site" / "engagements" / "tiny-2026" / "methodology" / "index.html").read_text()

    assert "FIRST-EDITION" in build("FIRST-EDITION")
    page = build("SECOND-EDITION")
    assert "SECOND-EDITION" in page and "FIRST-EDITION" not in page
    assert not (tiny / ".cxsite-cache" / "templates").exists()


def test_entries_unused_for_a_month_are_pruned_after_a_build(tiny, tmp_path, cli):
    import os
    import time

    from cxsite.cache import CACHE_DIR, KEEP_DAYS, PRUNED

    assert cli("--project", tiny, "build", "--site-dir", tmp_path / "site")[0] == 0
    cache = tiny / CACHE_DIR
    used = next(p for p in cache.glob("*/*.json"))
    stale = used.with_name("0" * 64 + ".json")
    stale.write_text("{}")
    long_ago = time.time() - (KEEP_DAYS + 1) * 86400
    for path in (used, stale):
        os.utime(path, (long_ago, long_ago))
    # The cache was listed by the first build: not again the same day.
    assert cli("--project", tiny, "build", "--site-dir", tmp_path / "site")[0] == 0
    assert stale.exists()
    os.utime(used, (long_ago, long_ago))
    os.utime(cache / PRUNED, (long_ago, long_ago))
    # A day later: the build reads `used` (its inputs are unchanged), which keeps it; nothing reads `stale`.
    assert cli("--project", tiny, "build", "--site-dir", tmp_path / "site")[0] == 0
    assert used.is_file() and not stale.exists()


def test_the_key_covers_all_code_that_reads_and_scores_an_engagement():
    import subprocess
    import sys

    from cxsite.cache import _CODE

    # A fresh interpreter: which cxsite modules loading and scoring pull in.
    code = ("import sys, cxsite.load, cxsite.score, cxsite.comments, cxsite.responses, "
            "cxsite.cache; print(' '.join(m for m in sys.modules if m.startswith('cxsite.')))")
    used = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # errors and codes only word and label messages: no result depends on them.
    needed = {m.split(".", 1)[1] + ".py" for m in used} - {"errors.py", "codes.py"}
    assert needed <= set(_CODE), sorted(needed - set(_CODE))
