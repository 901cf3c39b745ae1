"""The bad-input corpus: each folder under bad_inputs/ is laid over the tiny
project and must give exactly the located messages in its expect.txt, exit 1,
and no traceback."""

import os
import shutil
from pathlib import Path

import pytest

from conftest import PROJECTS

CASES = Path(__file__).parent / "bad_inputs"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def overlay(case: Path, project: Path) -> None:
    for f in case.rglob("*"):
        if f.is_file() and f.name not in ("expect.txt", "args.txt"):
            target = project / f.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, target)


def command(case: Path) -> list[str]:
    """The command a case runs: ``args.txt`` in its folder (e.g. ``norms build tiny -o …``), else validate."""
    args = case / "args.txt"
    return args.read_text(encoding="utf-8").split() if args.is_file() else ["validate"]


# The cases 'cxsite validate' finds (the others name a command of their own in args.txt).
VALIDATE_NAMES = [n for n in NAMES if command(CASES / n) == ["validate"]]


@pytest.mark.parametrize("name", NAMES)
def test_bad_input_gives_located_message(name, tiny, cli):
    overlay(CASES / name, tiny)
    code, out, err = cli("--project", tiny, *command(CASES / name))
    assert code == 1
    assert "Traceback" not in err
    *messages, summary = err.splitlines()
    expected = (CASES / name / "expect.txt").read_text().splitlines()
    # Exactly: a message missing, added or repeated fails the case, in the CLI's order.
    assert messages == expected, f"{name}: expected\n" + "\n".join(expected) + f"\ngot\n{err}"
    n = len(expected)
    assert summary == f"{n} problem{'s' * (n != 1)} found; nothing was built or written."


def test_corpus_is_large_enough():
    assert len(NAMES) >= 40


def test_every_case_breaks_the_valid_project(tiny, cli):
    """The base project itself is clean, so each message is caused by its case."""
    assert cli("--project", tiny, "validate")[0] == 0


def test_huge_file_is_refused_without_reading_it(tiny, cli):
    big = tiny / "engagements" / "tiny-2026" / "responses.csv"
    with big.open("r+b") as f:
        f.truncate(300 * 1024 * 1024)
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert "engagements/tiny-2026/responses.csv: file is 300.0 MB, over the 256 MB limit" in err


def test_responses_symlinked_out_of_the_project(tiny, tmp_path, cli):
    secret = tmp_path / "elsewhere.csv"
    shutil.copy(PROJECTS / "tiny" / "engagements" / "tiny-2026" / "responses.csv", secret)
    link = tiny / "engagements" / "tiny-2026" / "linked.csv"
    os.symlink(secret, link)
    eng = tiny / "engagements" / "tiny-2026" / "engagement.yml"
    eng.write_text(eng.read_text().replace("responses: responses.csv", "responses: linked.csv"))
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert ("engagements/tiny-2026/engagement.yml:6:12: 'linked.csv' links outside this engagement's "
            "folder; copy the file in instead") in err.splitlines()


def test_engagement_folder_symlinked_out_of_the_project(tiny, tmp_path, cli):
    outside = tmp_path / "outside"
    shutil.copytree(tiny / "engagements" / "tiny-2026", outside)
    os.symlink(outside, tiny / "engagements" / "stolen")
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1
    assert "engagements/stolen: engagement folder is a link to a place outside the project" in err
