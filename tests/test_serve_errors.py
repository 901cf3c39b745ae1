"""The live preview shows the project's problems in the browser, and the report once they are fixed."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from cxsite.errors import InputError, InputErrors, Location
from cxsite.problems_page import MARKER, problems_markdown


def test_problems_page_lists_every_message_escaped():
    exc = InputErrors([InputError(Location("engagements/x/responses.csv", 3, 7), "bad <b>value</b>, fix it"),
                       InputError(Location("assessments/q.yml", 1, 1), "second")])
    page = problems_markdown(exc)
    assert "2 problems" in page and MARKER in page
    assert "engagements/x/responses.csv:3:7: bad &lt;b&gt;value&lt;/b&gt;, fix it" in page
    assert "<b>value" not in page
    assert page.index("assessments/q.yml:1:1") < page.index("responses.csv:3:7")  # sorted as reported


def _build(project, cli_show_errors: bool):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from cxsite.build import merged_plugins

    plugins, _ = merged_plugins(project / "mkdocs.yml", {"show_errors": cli_show_errors})
    config = load_config(str(project / "mkdocs.yml"), plugins=plugins, site_dir=str(project / "site"))
    build(config)
    return project / "site"


def _break(project):
    path = project / "engagements" / "tiny-2026" / "responses.csv"
    good = path.read_text()
    path.write_text(good.replace("r1,X,5,", "r1,X,7,"))  # 7 is not on the 1-5 scale
    return path, good


def test_a_broken_project_builds_the_problems_page(tiny):
    _break(tiny)
    site = _build(tiny, True)
    for name in ("index.html", "404.html"):
        html = (site / name).read_text()
        assert MARKER in html and "responses.csv:2:" in html, name
    assert not (site / "engagements").exists()


def test_without_show_errors_a_broken_project_fails(tiny):
    from mkdocs.exceptions import Abort, PluginError

    _break(tiny)
    with pytest.raises((PluginError, Abort)):
        _build(tiny, False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return 0, ""


def _wait_for(url: str, want, seconds: float = 60) -> tuple[int, str]:
    end = time.monotonic() + seconds
    got = (0, "")
    while time.monotonic() < end:
        got = _get(url)
        if want(*got):
            return got
        time.sleep(0.5)
    raise AssertionError(f"{url}: still {got[0]} after {seconds} s")


@pytest.fixture
def serving(tiny):
    """``cxsite serve`` of the tiny project on a free port: yields the overview's address."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cxsite", "--project", str(tiny), "serve",
                             "--dev-addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    page = f"http://127.0.0.1:{port}/engagements/tiny-2026/"
    try:
        yield page
    finally:
        proc.terminate()
        _, log = proc.communicate(timeout=20)
        print(log)  # shown when the test fails


@pytest.mark.slow
def test_serve_shows_the_problem_then_the_report_again(tiny, serving):
    _wait_for(serving, lambda code, body: code == 200 and MARKER not in body)
    path, good = _break(tiny)
    code, body = _wait_for(serving, lambda code, body: MARKER in body)
    assert "responses.csv:2:" in body and code == 404
    path.write_text(good)
    _wait_for(serving, lambda code, body: code == 200 and MARKER not in body)


@pytest.mark.slow
def test_the_browser_shows_the_problem_and_reloads_once_fixed(tiny, serving, browser):
    _wait_for(serving, lambda code, body: code == 200 and MARKER not in body)
    page = browser.new_page()
    page.goto(serving)
    path, good = _break(tiny)
    page.wait_for_selector("text=The project has errors", timeout=60_000)
    assert "responses.csv:2:3" in page.inner_text("article")
    path.write_text(good)
    page.wait_for_selector("text=Tiny baseline", timeout=60_000)
    assert "The project has errors" not in page.content()
    page.close()
