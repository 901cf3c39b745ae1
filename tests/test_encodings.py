"""One table of byte-order marks: an export is decoded by it, every other file refused by it."""

import codecs

import pytest

from cxsite.errors import InputError
from cxsite.importers.tables import decode
from cxsite.yamlsafe import check_utf8

TEXT = "id;équipe\n1;Ventes\n"


@pytest.mark.parametrize("codec, bom, label", [
    ("utf-8", codecs.BOM_UTF8, "UTF-8 with BOM"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 with BOM"), ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 with BOM"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32 with BOM"), ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32 with BOM"),
])
def test_an_export_with_a_bom_is_read_and_the_report_names_its_encoding(codec, bom, label):
    text, used, notes = decode(bom + TEXT.encode(codec), "export.csv", None)
    assert (text, used, notes) == (TEXT, label, [])


@pytest.mark.parametrize("codec, bom, name", [
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"), ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"), ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32"),
])
def test_a_project_file_with_another_bom_than_utf8s_is_refused_at_its_start(codec, bom, name):
    with pytest.raises(InputError) as exc:
        check_utf8([bom + TEXT.encode(codec)], "responses.csv")
    assert str(exc.value) == f"responses.csv:1:1: file is {name}, not UTF-8; re-save the file as UTF-8"


def test_utf8s_own_bom_is_allowed():
    check_utf8([codecs.BOM_UTF8 + TEXT.encode()], "responses.csv")
