from pathlib import Path

import cxsite
from cxsite.cache import Cache, key_for
from cxsite.load import load_project
from cxsite.pages import build_pages
from cxsite.resources import code_files, package_folder
from cxsite.results import Results


class Build:
    """One build's project and pages, and which engagements' results came from the cache."""

    def __init__(self, root, cache):
        results = Results(cache)
        self.project = load_project(root, known=results.known)
        self.hits = {eid for eid, e in self.project.engagements.items() if results.known(e)}
        self.site = build_pages(self.project, results=results)

    def cached(self, eid):
        return eid in self.hits


def build(root, cache):
    done = Build(root, cache)
    return done, done.site


def test_unchanged_engagements_come_from_the_cache(tmp_path, monkeypatch):
    from conftest import copy_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    root = copy_project("twoclients", tmp_path)
    cache = Cache(tmp_path / "cache")
    first_project, first = build(root, cache)
    assert all(not first_project.cached(k) and e.responses for k, e in first_project.project.engagements.items())

    second_project, second = build(root, cache)
    assert all(second_project.cached(k) and e.responses is None
               for k, e in second_project.project.engagements.items())
    assert second.pages == first.pages

    csv = root / "engagements" / "tiny-2026" / "responses.csv"
    csv.write_text(csv.read_text().replace("r1,X,5,1", "r1,X,1,5"))
    third_project, third = build(root, cache)
    assert not third_project.cached("tiny-2026")        # re-read and re-scored
    assert third_project.cached("zebra-2026")           # untouched
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
    assert not project.cached("tiny-2026")
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


def test_the_code_that_counts_covers_every_file_of_cxsite_a_build_reads(tiny):
    """Every module a build imports and every packaged file it opens (word lists, templates, assets)
    is in the one list the cache keys and the portfolio stamps hash."""
    import json
    import subprocess
    import sys

    # A fresh interpreter, a real build: the modules it imports, and each file it opens (audit hook).
    code = ("import json, sys\n"
            "opened = set()\n"
            "sys.addaudithook(lambda event, args: opened.add(str(args[0])) if event == 'open' "
            "and isinstance(args[0], str) else None)\n"
            "from cxsite.cli import main\n"
            "main(['--project', sys.argv[1], 'build', '--site-dir', sys.argv[2]])\n"
            "files = {m.__file__ for n, m in list(sys.modules.items()) if n.startswith('cxsite') "
            "and getattr(m, '__file__', None)}\n"
            "print(json.dumps(sorted(files | opened)))\n")
    done = subprocess.run([sys.executable, "-c", code, str(tiny), str(tiny.parent / "site")],
                          capture_output=True, text=True, check=True)
    read = {Path(p).resolve() for p in json.loads(done.stdout.splitlines()[-1])}
    own = [package_folder("site_templates").resolve(), Path(cxsite.__file__).resolve().parent]
    inputs = package_folder("assessments").resolve()
    used = {p for p in read if p.is_file() and any(p.is_relative_to(f) for f in own)
            and not p.is_relative_to(inputs) and "__pycache__" not in p.parts}
    listed = {p.resolve() for p in code_files().values()}
    assert {p.suffix for p in used} >= {".py", ".txt", ".j2", ".css"}  # the hook saw the build's reads
    assert used <= listed, sorted(str(p) for p in used - listed)


def test_cache_keys_and_portfolio_stamps_hash_the_same_code(tiny, tmp_path, monkeypatch):
    import cxsite.cache
    import cxsite.resources
    from cxsite.portfolio import shared_inputs

    extra = tmp_path / "extra.py"
    extra.write_text("A = 1\n")
    monkeypatch.setattr(cxsite.resources, "code_files", lambda: {"extra.py": extra})

    def both():
        cxsite.cache._code_hash.cache_clear()  # once per process: this test changes the code under it
        return key_for(load_project(tiny, responses=False).engagements["tiny-2026"]), shared_inputs(tiny, False, False)

    try:
        before = both()
        extra.write_text("A = 2\n")
        after = both()
    finally:
        cxsite.cache._code_hash.cache_clear()
    assert before[0] != after[0] and before[1] != after[1]
