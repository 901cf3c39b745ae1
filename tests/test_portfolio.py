import io

import pytest

from generator.errors import InputError
from generator.portfolio import Progress, parse_shard, pick_shard


def test_all_clients_one_site_each(tmp_path, cli):
    from conftest import copy_project

    root = copy_project("twoclients", tmp_path)
    out = tmp_path / "sites"
    code, stdout, err = cli("--project", root, "build", "--all-clients", "--out", out, "--jobs", "2")
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["tiny-co", "zebracorn-holdings"]
    assert "Zebracorn" not in (out / "tiny-co" / "index.html").read_text()
    assert (out / "zebracorn-holdings" / "engagements" / "zebra-2026" / "index.html").is_file()


def test_shards_partition_the_clients():
    clients = [f"Client {c}" for c in "QWERTYUIOPASDFG"]
    slices = [pick_shard(clients, (i, 4)) for i in range(1, 5)]
    assert sorted(sum(slices, [])) == sorted(clients)
    assert all(len(s) in (3, 4) for s in slices)
    assert pick_shard(list(reversed(clients)), (2, 4)) == slices[1]  # input order does not matter


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x/3", "3", "1/0"])
def test_bad_shard(bad):
    with pytest.raises(InputError, match="--shard"):
        parse_shard(bad)


def test_shard_needs_all_clients(tiny, cli):
    code, _, err = cli("--project", tiny, "build", "--shard", "1/2")
    assert code == 1 and "--shard: goes with --all-clients" in err


class FakeTTY(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal_only(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    tty = FakeTTY()
    p = Progress(4, "building", tty)
    for _ in range(4):
        p.step("x")
    assert "4/4" in tty.getvalue() and "ETA" in tty.getvalue()
    monkeypatch.setenv("CI", "true")
    quiet = FakeTTY()
    q = Progress(4, "building", quiet)
    q.step()
    assert quiet.getvalue() == ""
    plain = io.StringIO()
    monkeypatch.delenv("CI")
    Progress(10, "building", plain).step()
    assert plain.getvalue() == ""


def test_validate_and_score_import_no_mkdocs_or_charts(tiny):
    import subprocess
    import sys

    code = ("import sys; from generator.cli import main; main(['--project', sys.argv[1], 'validate']); "
            "main(['--project', sys.argv[1], 'score', 'tiny-2026', '-o', sys.argv[2]]); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'matplotlib') "
            "or m in ('generator.charts', 'generator.pages', 'jinja2')); print(bad)")
    done = subprocess.run([sys.executable, "-c", code, str(tiny), str(tiny / "out.json")],
                          capture_output=True, text=True)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
