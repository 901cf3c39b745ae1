"""The wheel as a practice installs it: built, installed into a fresh venv outside the
repository, used in a project folder that is not the tool's (issue 13).

Slow (a venv and its dependencies from the package index): CI runs it, ``make test`` too.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow

ENGAGEMENT = """\
client: Acme Practice Client
title: Service culture baseline
assessment: service-culture
wave: 2026 Q3
date: 2026-09-25
responses: responses.csv
segments: [department, region]
"""
MKDOCS = """\
site_name: Acme practice reports
theme:
  name: material
  font: false
plugins: [search, cxsite]
"""
# What is not the source: a venv, built sites, caches, browser packages.
SKIP = shutil.ignore_patterns(".venv", "site", "build", "dist", "*.egg-info", "node_modules", ".cxsite-cache",
                              "__pycache__", ".pytest_cache", ".hypothesis", ".git", "_output")


def run(*args, cwd: Path, ok: bool = True) -> subprocess.CompletedProcess:
    """Run a command with no variable of the test's venv leaking in; fail showing its output."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)
    if ok:
        assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh venv outside the repository with the wheel (and pinned dependencies) installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy, so the build leaves nothing behind in the clone
    shutil.copytree(REPO, source, ignore=SKIP)
    dist = work / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, source, cwd=work)
    wheels = sorted(dist.glob("cxsite-*.whl"))
    assert len(wheels) == 1, wheels
    env = work / "venv"
    run(sys.executable, "-m", "venv", env, cwd=work)
    run(env / "bin" / "python", "-m", "pip", "install", "--quiet", "-c", REPO / "constraints.txt", wheels[0],
        cwd=work)
    return env


def make_project(venv: Path, folder: Path) -> Path:
    """A practice's project: ``cxsite init`` where it exists, else the minimum by hand."""
    cxsite = venv / "bin" / "cxsite"
    project = folder / "practice"
    if run(cxsite, "init", "--help", cwd=folder, ok=False).returncode == 0:
        run(cxsite, "init", project, cwd=folder)
    else:
        (project / "docs").mkdir(parents=True)
        (project / "mkdocs.yml").write_text(MKDOCS)
    engagement = project / "engagements" / "acme-2026-q3"
    engagement.mkdir(parents=True)
    (engagement / "engagement.yml").write_text(ENGAGEMENT)
    shutil.copy(REPO / "engagements" / "northwind-2026-q3" / "responses.csv", engagement)
    return project


def test_the_wheel_works_outside_the_repository(venv, tmp_path, request):
    python, bin_ = venv / "bin" / "python", venv / "bin"
    assert run(python, "-c", "import generator", cwd=tmp_path, ok=False).returncode != 0
    assert "usage: cxsite" in run(python, "-m", "cxsite", "--help", cwd=tmp_path).stdout
    project = make_project(venv, tmp_path)
    assert not (project / "assessments" / "service-culture.yml").exists()  # the built-in one is used
    assert run(bin_ / "cxsite", "validate", cwd=project).returncode == 0
    run(bin_ / "cxsite", "build", cwd=project)
    page = project / "site" / "engagements" / "acme-2026-q3" / "methodology" / "index.html"
    assert "version built into cxsite" in page.read_text(encoding="utf-8")
    shutil.rmtree(project / "site")
    run(bin_ / "mkdocs", "build", "--strict", cwd=project)
    overview = project / "site" / "engagements" / "acme-2026-q3" / "index.html"
    assert overview.is_file()
    check_in_browser(request.getfixturevalue("browser"), overview)


def check_in_browser(browser, page_file: Path) -> None:
    """The overview opens in Chromium and shows the client's name and the questionnaire's score."""
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        assert "Acme Practice Client" in page.inner_text("body")
    finally:
        page.close()
