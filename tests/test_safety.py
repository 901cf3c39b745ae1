"""Privacy, isolation and reproducibility of built sites (issue: a site that never leaks or breaks)."""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_project
from cxsite.build import build_site

ZEBRA_ONLY = ["Zebracorn", "Quasar listening", "Xylophone", "Narwhal desk", "Okapi desk", "Flamingo parade",
              "Vexillology", "zq-00", "Marmalade", "Pangolin band", "Axolotl band", "Quokka dimension",
              "Wombat", "Capybara", "Tapir", "Ocelot", "secret-pulse", "zebra-2026"]


def all_text(folder: Path) -> dict[Path, str]:
    out = {}
    for f in folder.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            if f.suffix == ".gz":
                import gzip
                data = gzip.decompress(data)
            out[f] = data.decode("utf-8", errors="replace")
    return out


def test_one_client_per_site(tmp_path):
    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "tiny-site"
    build_site(root, out, client="Tiny Co")
    texts = all_text(out)
    assert any("Tiny baseline" in t for t in texts.values())
    for path, text in texts.items():
        for word in ZEBRA_ONLY:
            assert word.lower() not in text.lower(), f"{word!r} leaked into {path.relative_to(out)}"
    # and the other way round
    out_z = tmp_path / "zebra-site"
    build_site(root, out_z, client="zebracorn-holdings")
    assert not any("Tiny Co" in t or "Tiny baseline" in t for t in all_text(out_z).values())


def test_no_respondent_id_or_contact_detail_in_the_site(tmp_path):
    root = copy_project("pulse", tmp_path)
    csv = root / "engagements" / "example-co-2026-oct" / "responses.csv"
    csv.write_text(csv.read_text().replace("One shared customer record",
                                           "One shared record; ask zoe.q@example.org or +44 161 496 0000"))
    ids = re.findall(r"^(P\d{3}),", csv.read_text(), flags=re.M)
    assert len(ids) == 60
    out = tmp_path / "site"
    build_site(root, out)
    for path, text in all_text(out).items():
        for rid in ids:
            assert not re.search(rf"\b{rid}\b", text), f"{rid} in {path}"
        assert "zoe.q@example.org" not in text and "496 0000" not in text, path
    assert "One shared record; ask [redacted] or [redacted]" in (
        out / "engagements/example-co-2026-oct/comments/index.html").read_text()


def _hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_builds_are_byte_identical_with_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    root = copy_project("pulse", tmp_path)
    build_site(root, tmp_path / "one")
    time.sleep(1.1)  # a clock leaking into the output would now differ
    build_site(root, tmp_path / "two")
    one, two = _hashes(tmp_path / "one"), _hashes(tmp_path / "two")
    assert one == two
    assert len(one) > 20


@pytest.mark.slow
def test_killed_build_leaves_the_previous_site(tmp_path):
    root = copy_project("pulse", tmp_path)
    out = tmp_path / "site"
    build_site(root, out)
    before = _hashes(out)
    proc = subprocess.Popen([sys.executable, "-m", "cxsite", "--project", str(root), "build",
                             "--site-dir", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".site.building-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    staged = list(tmp_path.glob(".site.building-*"))
    assert staged, "the build never started writing"
    time.sleep(0.3)  # let MkDocs write part of the new site
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _hashes(out) == before
    # The next build clears the killed build's half-written folder.
    build_site(root, out)
    assert not list(tmp_path.glob(".site.building-*"))


def test_suppressed_group_has_no_figure_in_search_index_or_json(tmp_path, cli):
    import json

    root = copy_project("tiny", tmp_path)
    csv = root / "engagements" / "tiny-2026" / "responses.csv"
    csv.write_text(csv.read_text().replace("r5,Z,,,,,,,", "r5,Z,1,5,1,1,1,0,"))
    # X (two people) goes with Z (one): X alone would have index 78.125 and n 2.
    out = tmp_path / "site"
    build_site(root, out)
    index = json.loads((out / "search" / "search_index.json").read_text())
    seg = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("engagements/tiny-2026/segments/"))
    assert "not shown" in seg
    assert "78" not in seg
    code, score_json, _ = cli("--project", root, "score", "tiny-2026")
    groups = {g["value"]: g for g in json.loads(score_json)["segments"]["team"]}
    assert groups["X"] == {"value": "X", "n": None, "suppressed": True, "index": None, "dimensions": {}}
    assert groups["Z"]["suppressed"] and groups["Y"]["n"] == 2
