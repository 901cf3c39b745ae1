"""Redaction of personal data from comments, and contact details refused as segment values.

The corpora in tests/data/pii/ (see its README) measure the detectors as a
whole: every planted span must be redacted, and clean comments full of
numbers, dates, products and places must come out unchanged.
"""

import csv
import io
import random
import re
import time
from pathlib import Path

import pytest

from cxsite.errors import InputError, InputErrors
from cxsite.importers import import_export
from cxsite.redact import REDACTED, KnownNames, contact_kind, find_spans, redact

PII = Path(__file__).parent / "data" / "pii"
EXPORTS = Path(__file__).parent / "data" / "survey-exports"
MARK = re.compile(r"⟦(.*?)⟧")


def planted(name: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """(comment, spans of its planted personal data) for each line of a planted corpus."""
    out = []
    for line in (PII / name).read_text(encoding="utf-8").splitlines():
        text, spans, last = "", [], 0
        for m in MARK.finditer(line):
            text += line[last:m.start()]
            spans.append((len(text), len(text) + len(m.group(1))))
            text += m.group(1)
            last = m.end()
        out.append((text + line[last:], spans))
    return out


def clean(name: str) -> list[str]:
    return (PII / name).read_text(encoding="utf-8").splitlines()


def covered(text: str, span: tuple[int, int]) -> bool:
    """Whether every letter and digit of ``span`` lies inside what redact() replaces."""
    inside = {i for s, e in find_spans(text) for i in range(s, e)}
    return all(i in inside for i in range(*span) if text[i].isalnum())


# --------------------------------------------------------------------------- the corpora

@pytest.mark.parametrize("part", ["dev", "holdout"])
def test_corpus_recall_and_false_positives(part):
    comments = planted(f"planted-{part}.txt")
    spans = [(text, s) for text, ss in comments for s in ss]
    missed = [text[s[0]:s[1]] for text, s in spans if not covered(text, s)]
    recall = 1 - len(missed) / len(spans)
    texts = clean(f"clean-{part}.txt")
    altered = [redact(t) for t in texts if redact(t) != t]
    rate = len(altered) / len(texts)
    figures = (f"{part}: recall {recall:.3f} ({len(spans) - len(missed)}/{len(spans)} spans in "
               f"{len(comments)} comments), clean altered {rate:.3%} ({len(altered)}/{len(texts)})")
    print(figures)
    assert recall >= 0.95 and rate <= 0.02, f"{figures}\nmissed: {missed}\naltered: {altered}"


def test_corpora_are_large_enough():
    assert len(planted("planted-dev.txt")) + len(planted("planted-holdout.txt")) >= 200
    assert len(clean("clean-dev.txt")) + len(clean("clean-holdout.txt")) >= 300
    assert all(spans for _, spans in planted("planted-dev.txt") + planted("planted-holdout.txt"))


def test_ten_thousand_comments_take_well_under_a_second_each_thousand():
    pool = [t for t, _ in planted("planted-dev.txt")] + clean("clean-dev.txt") * 3
    comments = random.Random(7).choices(pool, k=10_000)
    redact("warm up: +44 20 7946 0958, Sarah Jenkins")
    start = time.process_time()
    for text in comments:
        redact(text)
    seconds = time.process_time() - start
    print(f"10,000 comments (one in five with personal data): {seconds:.2f} s CPU")
    assert seconds < 3, f"10,000 comments took {seconds:.2f} s CPU"


@pytest.mark.parametrize("text", [
    "a" * 20_000 + "@", "a dot " * 5_000, "http://" * 3_000, "12345 " * 5_000, "12 rue " + "Aa de " * 5_000,
    "Sarah " * 10_000, "Mr " * 10_000, '"' * 20_000 + "@x.com",
], ids=["local-part", "dots", "urls", "numbers", "street", "names", "honorifics", "quotes"])
def test_hostile_text_takes_linear_time(text):
    # A patterns whose cost grows with the square of a cell's length would hang a build.
    start = time.process_time()
    redact(text)
    assert time.process_time() - start < 1


# --------------------------------------------------------------------------- each kind

PLANTED = {
    "phone": ["0171/1234567", "+44 20 7946 0958", "(020) 7946-0958", "06 12 34 56 78", "+33 6 12 34 56 78",
              "030 12345678", "087 123 4567", "612 345 678", "(415) 555-2671", "+1 212 555 0147",
              "0664 1234567", "044 668 18 00", "+32 2 555 12 34", "0044 7700 900123", "1-800-555-0199",
              "020 7946 0000 ext. 214", "+49 (0)89 1234567", "０２０ ７９４６ ０９５８"],
    "email": ["o'connor.m@example.ie", "billing%uk@example.com", "anna+claims@example.com",
              "#team!ops@example.net", '"mark smith"@example.com', "björn@exämple.de",
              "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "jane dot roe at example dot com", "jane [at] example.com",
              "m.rossi (at) example (dot) it", "j.doe@[192.0.2.1]", "ops@xn--exmple-cua.de"],
    "url": ["https://support.example.com/help?id=42", "www.example-energy.co.uk/moving-home",
            "example.org/feedback", "http://photos.example.net/a/7781", "www.example.com", "example.org?id=7"],
    "address": ["221B Baker Street", "10 Downing St", "Flat 3, 12 High Road", "SW1A 1AA", "12 rue de la Paix",
                "3 bis avenue Foch", "75001 Paris", "Hauptstraße 5", "Musterweg 12a", "Am Markt 3",
                "10115 Berlin", "Berliner Straße 12", "PO Box 4471", "NY 10001", "15 Elm Street, Apt 4B",
                "Rue de Rivoli 5", "Via Roma 10", "Kalverstraat 12", "CH-8001 Zürich", "D-10115 Berlin",
                "1012 AB Amsterdam", "16 Kingsway"],
    "name": ["Sarah Jenkins", "Jean-Luc Martin", "Michael O'Brien", "Mr Patel", "Mrs Thompson", "Dr. Okafor",
             "M. Lefebvre", "Mme Dubois", "Herr Schmidt", "Frau Becker", "Mr. John Carter", "Łukasz Nowak",
             "Carmen García López", "Anne-Marie Dupont", "Anne-Sophie Leroy", "Jean DUPONT", "Madame Dupont", "Sam Taylor",
             "Jon Hill", "Pieter de Vries", "Frau Dr. Neumann", "Sig. Bianchi"],
}


@pytest.mark.parametrize("kind,value", [(k, v) for k, vs in PLANTED.items() for v in vs])
def test_each_shape_is_redacted_where_it_stands(kind, value):
    text = f"I was told {value} today, please pass it on."
    assert redact(text) == f"I was told {REDACTED} today, please pass it on.", kind


@pytest.mark.parametrize("text", [
    "5 out of 10", "open 24/7", "on 12/03/2025 at 10:30", "on 2026-11-30", "between 2019-2023", "£1,250.00",
    "€ 1.234.567", "45%", "version 3.2.1", "order AB-12345678", "ticket 48213377", "order number 12345678",
    "Q3 2026", "St Patrick's Day", "the New York office", "the Customer Service Team", "Section 3.2",
    "Will Support call back?", "Grace Period", "Victoria Station", "Paris Office", "ASP.NET", "notes.md",
    "192.168.10.200", "scores 5 4 3 4 5 2 1", "12000 calls a month", "Room 101", "ISO 9001", "M25",
    "Black Friday", "Emma Customer Service", "Spring 2026", "mark the date", "may be monitored",
    "Will Vodafone ever call back?", "Thanks. Will Vodafone ever call back?", "We refunded 25000 Euros",
    "Case 45213", "In 2024 EU Sales fell", "the 1066 Normans", "Victoria Park", "ask the CRM team, Emma CRM",
])
def test_clean_shapes_are_left_alone(text):
    assert redact(text) == text


def test_a_bare_run_of_digits_is_a_phone_number_only_where_the_text_says_so():
    assert redact("call me on 4155552671 tonight") == f"call me on {REDACTED} tonight"
    assert redact("Tel. 0612345678") == f"Tel. {REDACTED}"
    assert redact("the batch 4155552671 was lost") == "the batch 4155552671 was lost"
    assert redact("call about order 4155552671") == "call about order 4155552671"


def test_the_original_characters_are_replaced_and_the_rest_kept_as_written():
    # Detection sees NFKC ("jane@example.com"), the output keeps the full-width text around it.
    text = "ｍａｉｌ ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ，ｔｈａｎｋｓ"
    assert redact(text) == f"ｍａｉｌ {REDACTED}，ｔｈａｎｋｓ"
    assert redact("jane\u200b@example.com") == REDACTED  # hidden by a zero-width space


def test_schemes_before_a_phone_or_an_address_stay():
    assert redact("tel:+442079460958 or mailto:jo@example.com") == f"tel:{REDACTED} or mailto:{REDACTED}"


def test_adjacent_spans_become_one_token_and_punctuation_stays():
    assert redact("Sarah Jenkins 07911 123456, thanks.") == f"{REDACTED}, thanks."
    assert redact("(see https://example.com/a).") == f"(see {REDACTED})."


# --------------------------------------------------------------------------- known names

def test_known_names_whole_words_any_case():
    names = KnownNames(["Zebedee Quixley", "Marguerite"])
    assert redact("zebedee and QUIXLEY helped; Zebedee's desk", names) == \
        f"{REDACTED} and {REDACTED} helped; {REDACTED}'s desk"
    assert redact("Zebedeeland and Marguerites", names) == "Zebedeeland and Marguerites"
    assert redact("ask Marguerite", ["Marguerite"]) == f"ask {REDACTED}"  # a plain list works too


def test_known_names_that_are_everyday_words_only_with_a_capital():
    names = KnownNames(["Grace Green", "Prefer not to say", "N/A"])
    assert redact("a green light, ask Green or Grace", names) == f"a green light, ask {REDACTED} or {REDACTED}"
    assert redact("I prefer not to say", names) == "I prefer not to say"


# --------------------------------------------------------------------------- segment values

@pytest.mark.parametrize("value,kind", [
    ("jane@example.com", "an e-mail address"), ("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "an e-mail address"),
    ("+44 20 7946 0958", "a phone number"), ("0171/1234567", "a phone number"),
    ("https://example.com", "a web address"), ("www.example.com", "a web address"),
    ("Sales", None), ("Booking.com", None), ("2026", None), ("Team 12", None), ("North-West", None),
])
def test_contact_kind(value, kind):
    assert contact_kind(value) == kind


def test_every_row_with_a_contact_detail_as_segment_is_reported(tiny, cli):
    path = tiny / "engagements" / "tiny-2026" / "responses.csv"
    rows = list(csv.reader(io.StringIO(path.read_text())))
    rows[1][1] = rows[3][1] = "jo@example.com"
    rows[2][1] = "0161 496 0752"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue())
    code, _, err = cli("--project", tiny, "validate")
    assert code == 1 and "Traceback" not in err
    for line, kind in ((2, "an e-mail address"), (3, "a phone number"), (4, "an e-mail address")):
        assert f"engagements/tiny-2026/responses.csv:{line}:2: column 'team' holds {kind}; " in err
    assert "jo@example.com" not in err  # the message does not repeat the personal data


# --------------------------------------------------------------------------- import

def _export(tmp_path: Path, edit) -> Path:
    rows = list(csv.reader(io.StringIO((EXPORTS / "google-forms.csv").read_text(encoding="utf-8-sig"))))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (tmp_path / "g.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return tmp_path / "g.csv"


def test_import_redacts_the_exports_own_names_from_comments(pulse, tmp_path):
    def edit(rows):
        # One name column found by its header, one by its wording.
        rows[0] += ["First name", "What is your full name?"]
        for i, row in enumerate(rows[1:]):
            row += [f"Zebedee{i}" if i else "Zebedee", "Marguerite Quixley" if i == 3 else f"Name{i}"]
        rows[1][-3] = "Ask zebedee, or QUIXLEY, or write to z.q@example.com"
    result = import_export(_export(tmp_path, edit), pulse / "engagements" / "example-co-2026-oct", pulse,
                           salt="s")
    written = result.responses_path.read_text(encoding="utf-8")
    assert "Ask [redacted], or [redacted], or write to [redacted]" in written
    assert not re.search(r"zebedee|quixley|z\.q@", written, re.I)
    assert "1 comment had names, contact details or addresses replaced" in \
        result.report_path.read_text(encoding="utf-8")


@pytest.mark.parametrize("value,kind", [("0161 496 0752", "a phone number"),
                                        ("https://example.com/team", "a web address")])
def test_import_refuses_contact_details_as_segment_values(pulse, tmp_path, value, kind):
    def edit(rows):
        rows[5][1] = value
    with pytest.raises((InputError, InputErrors)) as caught:
        import_export(_export(tmp_path, edit), pulse / "engagements" / "example-co-2026-oct", pulse, salt="s")
    assert f"g.csv:6:2: column 'What is your department?' is segment 'department' but holds {kind}" \
        in str(caught.value)


def test_the_example_comments_lose_only_their_two_contact_details():
    import yaml

    from cxsite.synth import COMMENTS

    comments = [c for texts in yaml.safe_load(COMMENTS.read_text(encoding="utf-8")).values() for c in texts]
    changed = [redact(c) for c in comments if redact(c) != c]
    assert len(changed) == 2 and all(c.count(REDACTED) == 1 for c in changed), changed
