import shutil
from pathlib import Path

import pytest

from cxsite.cli import main
from cxsite.progress import on_ci

TESTS = Path(__file__).parent
PROJECTS = TESTS / "projects"
REPO = TESTS.parent


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request):
    return request.config.getoption("--update-golden")


def write_golden(folder: Path, files: dict[str, str], pattern: str = "*.md") -> None:
    """Make ``folder`` hold exactly ``files`` (relative path -> text): ``--update-golden``.

    A golden file the output no longer has is deleted, with the folders it
    leaves empty: a stale file would otherwise sit there unread, and the next
    comparison of the file list would fail on it.
    """
    for path in folder.rglob(pattern) if folder.exists() else ():
        if path.relative_to(folder).as_posix() not in files:
            path.unlink()
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text, encoding="utf-8")
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(sub.iterdir()):
            sub.rmdir()


def copy_project(name: str, dest: Path) -> Path:
    target = dest / name
    shutil.copytree(PROJECTS / name, target)
    return target


@pytest.fixture
def tiny(tmp_path) -> Path:
    """A writable copy of the hand-scored tiny project."""
    return copy_project("tiny", tmp_path)


@pytest.fixture
def loop(tmp_path) -> Path:
    """A writable copy of the loop project: tiny with a plan followed up at its next wave, and a benchmark."""
    return copy_project("loop", tmp_path)


@pytest.fixture
def pulse(tmp_path) -> Path:
    """A writable copy of the service-pulse project (shared survey-export data)."""
    return copy_project("pulse", tmp_path)


def assert_matches(got, expected, path: str = "") -> None:
    """Every key of ``expected`` in ``got``; floats equal to rel=1e-9 (results JSON)."""
    if isinstance(expected, dict):
        for k, v in expected.items():
            assert_matches(got[k], v, f"{path}.{k}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), path
        for i, (g, e) in enumerate(zip(got, expected)):
            assert_matches(g, e, f"{path}[{i}]")
    elif isinstance(expected, float):
        assert got == pytest.approx(expected, rel=1e-9), path
    else:
        assert got == expected, path


def missing(why: str) -> None:
    """A tool the suite needs is absent: skip on a developer's machine, fail on CI.

    ``.ci/run`` and ``make test`` install Chromium and axe-core, so on CI
    (``CI=true``) their absence means an install broke, and a skip would pass
    a run that never looked at a page.
    """
    if on_ci():
        pytest.fail(why)
    pytest.skip(why)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Debian's Chromium."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        missing("no Chromium on this machine (.ci/run installs Debian's chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    """Headless Debian Chromium driven by Playwright; one for the whole run."""
    from playwright.sync_api import sync_playwright

    from cxsite.pdf import CHROMIUM_FLAGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""

    def run(*args: str):
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
