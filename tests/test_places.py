"""The shared helpers of located messages: paths as shown, offsets as line and column, size limits."""

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cxsite.errors import InputError
from cxsite.limits import MB, check_size, read_limited
from cxsite.places import display_path, inside, line_col


@given(st.text(alphabet="ab\né€\t", max_size=40), st.data())
def test_line_col_counts_lines_and_characters(text, data):
    offset = data.draw(st.integers(0, len(text)))
    before = text[:offset].split("\n")
    expected = (len(before), len(before[-1]) + 1)
    assert line_col(text, offset) == expected
    # The same place in the UTF-8 bytes: the column counts characters, not bytes.
    assert line_col(text.encode(), len(text[:offset].encode())) == expected


def test_line_col_counts_a_byte_that_is_not_utf8_as_one_character():
    assert line_col(b"ab\nc\xe9d\xff", 6) == (2, 4)


def test_line_col_continues_from_an_earlier_chunk():
    assert line_col(b"xy\nz", 4, first_line=7) == (8, 2)


def test_display_path_inside_and_outside(tmp_path):
    root = tmp_path / "project"
    (root / "engagements" / "a").mkdir(parents=True)
    assert display_path(root / "engagements" / "a" / "x.csv", root) == "engagements/a/x.csv"
    assert display_path(tmp_path / "elsewhere.csv", root) == str(tmp_path / "elsewhere.csv")
    assert inside(tmp_path / "elsewhere.csv", root) is None


def test_display_path_of_a_relative_path_or_a_linked_root(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "assessments").mkdir(parents=True)
    os.symlink(root, tmp_path / "link")
    monkeypatch.chdir(root)
    assert display_path(root / "assessments" / "q.yml", tmp_path / "link") == "assessments/q.yml"
    assert inside(type(root)("assessments/q.yml"), root) == "assessments/q.yml"


def test_size_limit_refuses_before_reading(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(3 * MB + MB // 2)
    with pytest.raises(InputError) as exc:
        check_size(big, "big.csv", 2 * MB, "an export", "check that it is the right file")
    assert str(exc.value) == ("big.csv: file is 3.5 MB, over the 2 MB limit for an export; "
                              "check that it is the right file")
    assert check_size(big, "big.csv", 4 * MB) == 3 * MB + MB // 2


def test_an_unreadable_file_is_a_located_error(tmp_path):
    with pytest.raises(InputError, match=r"^gone.yml: cannot read file: No such file"):
        read_limited(tmp_path / "gone.yml", "gone.yml", MB)


def test_an_exports_column_counts_characters_like_every_other_file():
    from cxsite.importers.tables import decode

    data = "name;comment\nJosé;\xe9t\xe9\n".encode().replace(b"\xc3\xa9t\xc3\xa9", b"\xe9t\xe9")
    with pytest.raises(InputError) as exc:
        decode(data, "export.csv", None)
    # 'José;' is five characters (six bytes): the bad byte stands in column 6, as an editor shows it.
    assert str(exc.value.where) == "export.csv:2:6"
    assert "line 2 holds UTF-8" in exc.value.message
