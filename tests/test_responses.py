"""The responses readers: a CSV streamed into answer codes, and assessor ratings, agree.

The CSV reader decodes the columns of each scale in one pass and puts them
back in questionnaire order; these tests hold it to the YAML ratings reader,
which decodes answer by answer with :func:`parse_answer`.
"""

import csv
import io

import numpy as np
import pytest

from cxsite.errors import InputErrors
from cxsite.load import load_project
from cxsite.model import BLANK, NA, NA_CODE, OFFSET
from cxsite.responses import parse_answer

EID = "tiny-2026"

# d1 and d3 on agree5, d2 on freq5 between them: the reader meets the scales interleaved.
INTERLEAVED = {
    "    not_applicable: [N/A]\n":
        "    not_applicable: [N/A]\n  freq5:\n    points: {1: Never, 2: Rarely, 3: Sometimes, 4: Often, "
        "5: Always}\n",
    "{id: c, text: Statement C., scale: agree5}": "{id: c, text: Statement C., scale: freq5}",
    "{id: d, text: Statement D., scale: agree5}": "{id: d, text: Statement D., scale: freq5}",
    "      - {id: e, text: Statement E., scale: agree5}\n": "",
    "outcomes:\n":
        "  - id: d3\n    title: Dimension three\n    description: The third dimension.\n"
        "    items:\n      - {id: e, text: Statement E., scale: agree5}\n"
        "    narratives: {low: Low on three., high: High on three.}\n"
        "    actions:\n      low: [Do the third thing.]\n      high: [Keep it up.]\noutcomes:\n",
}


def _interleave(root):
    path = root / "assessments" / "tiny.yml"
    text = path.read_text()
    for old, new in INTERLEAVED.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)


def _rows(root):
    text = (root / "engagements" / EID / "responses.csv").read_text()
    return list(csv.reader(io.StringIO(text)))


def _write_csv(root, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (root / "engagements" / EID / "responses.csv").write_text(out.getvalue())


def _as_ratings(root, rows):
    """The same answers as an assessor-ratings YAML file, read answer by answer."""
    header, *body = rows
    lines = ["respondents:"]
    for row in body:
        cells = ", ".join(f'{k}: "{v}"' for k, v in zip(header, row) if k != "why")
        lines.append(f"  - {{{cells}}}")
    eng = root / "engagements" / EID
    (eng / "ratings.yml").write_text("\n".join(lines) + "\n")
    yml = eng / "engagement.yml"
    yml.write_text(yml.read_text().replace("responses: responses.csv", "responses: ratings.yml"))


def test_csv_in_any_column_order_reads_as_the_ratings_reader_does(tiny):
    _interleave(tiny)
    header, *body = _rows(tiny)
    # Odd but valid spellings, to go through the decoders' slow path.
    body[0][header.index("c")] = " 4.0 "
    body[1][header.index("a")] = "STRONGLY AGREE"
    body[3][header.index("d")] = "often"
    order = list(reversed(range(len(header))))
    shuffled = [[r[i] for i in order] for r in [header, *body]]
    _write_csv(tiny, shuffled)
    from_csv = load_project(tiny).engagements[EID].responses
    _as_ratings(tiny, [header, *body])
    from_yaml = load_project(tiny).engagements[EID].responses
    assert list(from_csv.answers) == ["a", "b", "c", "d", "e", "nps"]  # questionnaire order
    for item, codes in from_csv.answers.items():
        assert codes.tolist() == from_yaml.answers[item].tolist(), item
    assert from_csv.answers["c"].tolist() == [4 - 1 + OFFSET, 3 - 1 + OFFSET, 5 - 1 + OFFSET, 2 - 1 + OFFSET, BLANK]
    assert from_csv.answers["a"][1] == 5 - 1 + OFFSET
    assert from_csv.answers["b"][2] == NA_CODE
    assert from_csv.rows.tolist() == [2, 3, 4, 5, 6]
    team = from_csv.segments["team"]
    assert [team.values[g] for g in team.codes] == ["X", "X", "Y", "Y", "Z"]


@pytest.mark.parametrize("raw", ["4", " 4 ", "4.0", "Agree", "agree", "AGREE", "", "N/A", "n/a", "7", "Agreed", "4.5"])
def test_codes_agree_with_parse_answer(tiny, raw):
    rows = _rows(tiny)
    rows[1][rows[0].index("a")] = raw
    _write_csv(tiny, rows)
    scale = load_project(tiny, responses=False).questionnaires[("tiny", "1.0.0")].scales["agree5"]
    try:
        expected = parse_answer(scale, raw)
    except ValueError:
        with pytest.raises(InputErrors, match=r"responses.csv:2:3: column 'a'"):
            load_project(tiny)
        return
    code = load_project(tiny).engagements[EID].responses.answers["a"][0]
    if expected is None:
        assert code == BLANK
    elif expected == NA:
        assert code == NA_CODE
    else:
        assert code == expected - scale.min + OFFSET


def test_every_bad_answer_of_a_row_is_reported_in_column_order(tiny):
    rows = _rows(tiny)
    rows[2][rows[0].index("d")] = "9"
    rows[2][rows[0].index("a")] = "x"
    _write_csv(tiny, rows)
    with pytest.raises(InputErrors) as exc:
        load_project(tiny)
    located = [str(e).split(": ", 1)[0] for e in exc.value.errors]
    assert located == ["engagements/tiny-2026/responses.csv:3:3", "engagements/tiny-2026/responses.csv:3:6"]


def test_blank_lines_are_skipped_and_comments_kept_in_file_order(tiny):
    rows = _rows(tiny)
    rows.insert(3, [""] * len(rows[0]))
    rows.insert(2, ["", "  ", "", "", "", "", "", "", ""])
    _write_csv(tiny, rows)
    responses = load_project(tiny).engagements[EID].responses
    assert len(responses) == 5
    assert responses.comments == {"why": ["Great place", "meh"]}
    assert np.array_equal(responses.rows, [2, 4, 6, 7, 8])


# --------------------------------------------------------------------------- encodings

def _big_csv(tiny, tail: bytes) -> bytes:
    """The tiny responses with 3,000 more rows (past the first read), then ``tail`` as the last row."""
    path = tiny / "engagements" / "tiny-2026" / "responses.csv"
    text = path.read_text()
    rows = "".join(f"x{i},X,4,2,3,3,3,8,\n" for i in range(3000))
    data = (text + rows).encode() + tail
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("tail, message", [
    (b"late,X,4,2,3,3,3,8,Tr\xe8s bien\n",
     "byte 0xe8 is not UTF-8 (it reads as 'è' in Latin-1/Windows-1252); re-save the file as UTF-8"),
    (b"late,X,4,2,3,3,3,8,a\x00b\n", "NUL byte: this is a binary file, not text"),
])
def test_a_bad_byte_far_into_a_csv_is_located(tiny, cli, tail, message):
    data = _big_csv(tiny, tail)
    line = data.count(b"\n")  # the last line, 1-based
    col = tail.index(b"\xe8" if b"\xe8" in tail else b"\x00") + 1
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and "Traceback" not in err
    assert f"engagements/tiny-2026/responses.csv:{line}:{col}: {message}" in err


def test_a_utf8_bom_and_non_ascii_text_are_fine(tiny, cli):
    path = tiny / "engagements" / "tiny-2026" / "responses.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text().replace("meh", "très bien — ok").encode())
    assert cli("--project", tiny, "validate")[0] == 0
    e = load_project(tiny).engagements["tiny-2026"]
    assert "très bien — ok" in e.responses.comments["why"]


def test_utf8_check_locates_the_byte_wherever_the_chunks_split():
    from cxsite.errors import InputError
    from cxsite.yamlsafe import check_utf8

    good = "a,b\nqé—x,1\n".encode()
    bad = good + "zé,".encode() + b"\xe9\n"
    for cut in range(1, len(bad)):
        check_utf8([good[:cut], good[cut:]], "f.csv")  # a character split between chunks is fine
        with pytest.raises(InputError) as caught:
            check_utf8([bad[:cut], bad[cut:]], "f.csv")
        assert str(caught.value.where) == "f.csv:3:4", cut
