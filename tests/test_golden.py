"""``--update-golden`` rewrites a golden folder to exactly the current output."""

from conftest import write_golden


def test_update_removes_a_golden_file_no_test_writes(tmp_path):
    folder = tmp_path / "golden"
    write_golden(folder, {"index.md": "old\n", "engagements/a/gone.md": "stale\n", "keep.txt": "x"})
    write_golden(folder, {"index.md": "new\n", "engagements/b/page.md": "b\n"})
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    # The stale page and the folder it leaves empty are gone; a file of another kind is not touched.
    assert files == ["engagements/b/page.md", "index.md", "keep.txt"]
    assert not (folder / "engagements" / "a").exists()
    assert (folder / "index.md").read_text() == "new\n"


def test_update_of_a_new_folder_writes_it(tmp_path):
    write_golden(tmp_path / "new", {"x/y.md": "y\n"})
    assert (tmp_path / "new" / "x" / "y.md").read_text() == "y\n"
