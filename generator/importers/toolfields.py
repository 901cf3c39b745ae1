"""The columns a survey tool adds by itself, known by the tool's stable codes first.

A label is in the interface language of whoever exported the file
(``Anfangsdatum``, ``Horodateur``), but most tools also write a code that
never changes: Qualtrics' ImportId (``{"ImportId":"startDate"}``) and its
legacy ``V1``…``V10`` columns, LimeSurvey's field names (``submitdate``,
``123456X1X2SQ001``), SurveyMonkey's layout of two header rows. So a column
is decided by its code where it has one, and by its labels only where it has
none:

- :data:`QUALTRICS_LEGACY` turns a legacy column number into its ImportId
  (``V8`` and ``startDate`` both become ``startDate``), and a column with an
  ImportId in :data:`QUALTRICS_FIELDS` is decided by it alone, whatever its
  label says;
- :func:`tool_added` recognises what a tool derives from a question or the
  answers (Text iQ topics and sentiment, Qualtrics' fraud, timing, display
  order and scoring fields, LimeSurvey timings) by code, else by the tool's
  fixed English column names;
- the ``*_parts`` functions read a tool's layout, which no language changes:
  SurveyMonkey's two header rows (an Other choice's text, contact blocks),
  LimeSurvey's ``[other]`` and ``<code>Time`` fields, Qualtrics' choice text
  entries, Microsoft Forms' ``<prefix> - <question>`` quiz columns, Google
  Forms' ``7 / 10`` scores;
- :func:`left_over` is asked last: embedded data and hidden fields, which the
  survey's owner names, so a segment may be among them.
"""

from __future__ import annotations

import re

# Qualtrics' legacy format numbers its fixed columns; the meaning of each number never changed.
QUALTRICS_LEGACY = {"V1": "_recordId", "V2": "responseSet", "V3": "recipientName",
                    "V4": "externalDataReference", "V5": "recipientEmail", "V6": "ipAddress",
                    "V7": "status", "V8": "startDate", "V9": "endDate", "V10": "finished"}
# The ImportIds of the columns Qualtrics adds to every export: decided by the code alone, so
# a label in any interface language (row 2) cannot turn one into a question or a segment.
QUALTRICS_FIELDS = {"startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished",
                    "recordedDate", "_recordId", "recipientLastName", "recipientFirstName",
                    "recipientEmail", "externalDataReference", "locationLatitude", "locationLongitude",
                    "distributionChannel", "userLanguage", "responseSet", "recipientName"}
# Question columns carry a QID ImportId (QID2_1, QID4_TEXT, QID5#1_1); any other ImportId is a
# survey field: a system field, a Text iQ field, or embedded data that the survey's owner set.
QUALTRICS_QUESTION = re.compile(r"^QID\d+")
TEXT_IQ = ("Topic Sentiment Label", "Topic Sentiment Score", "Sentiment Polarity", "Sentiment Score",
           "Parent Topics", "Topics", "Sentiment")
TEXT_IQ_NAME = re.compile(r"\s-\s(" + "|".join(TEXT_IQ) + r")\s*$", re.I)
TEXT_IQ_CODE = re.compile(r"(" + "|".join(t.replace(" ", "") for t in TEXT_IQ) + r")$", re.I)
QUALTRICS_SYSTEM = re.compile(r"^Q_[A-Za-z]")
# Columns Qualtrics derives from a question or the answers: by ImportId (current format) and by
# column name (legacy format, which has no ImportId).
QUALTRICS_DERIVED = (
    (re.compile(r"_(FIRST_CLICK|LAST_CLICK|PAGE_SUBMIT|CLICK_COUNT)$"),
     re.compile(r"^\w+_(First Click|Last Click|Page Submit|Click Count)$", re.I),
     "Qualtrics timing question (clicks and seconds on a page)"),
    (re.compile(r"^QID\d+(_\d+)?_DO(_\w+)?$"), re.compile(r"^\w+_DO(_\w+)?$"),
     "Qualtrics display order of the choices"),
    (re.compile(r"^SC_"), re.compile(r"^SC\d+$"), "Qualtrics scoring category, computed from the answers"),
)
QUALTRICS_CHOICE_TEXT = re.compile(r"^(QID\d+|Q\d+)_\d+_TEXT$")
# LimeSurvey's "question code & question text" headings: "G01Q01. What…", "AGREE[SQ001]. How…".
LIMESURVEY_HEADING = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_]+\])*|\d+X\d+X\d+\w*)\.\s+(\S.*)$")
LIMESURVEY_TIMING = re.compile(r"^(interviewtime|grouptime\d+|\d+X\d+time|\d+X\d+X\d+\w*time)$", re.I)
# Typeform lets a hidden field's name hold only lower-case letters, digits and underscores.
TYPEFORM_HIDDEN = re.compile(r"^[a-z][a-z0-9_]*$")
# SurveyMonkey's contact-information question: one column per field, under one title.
CONTACT_FIELDS = {"name", "company", "address", "address2", "citytown", "stateprovince", "zippostalcode",
                  "country", "emailaddress", "phonenumber", "firstname", "lastname"}


def is_qualtrics_legacy(first_row: list[str]) -> bool:
    """Qualtrics' legacy layout: the first row starts ``V1, V2, V3``."""
    return [c.strip().lstrip("\ufeff") for c in first_row[:3]] == ["V1", "V2", "V3"]


def limesurvey_heading(text: str) -> tuple[str, str] | None:
    """``(code, text)`` of a "question code & question text" heading, or None."""
    match = LIMESURVEY_HEADING.match(text.strip())
    return (match.group(1), match.group(2)) if match else None


# part -> (reason shown in the report, quality signal or None)
PART_META = {
    "other": ("the text written beside a choice ('Other (please specify)', a comment): not scored", None),
    "timing": ("LimeSurvey timing", None),
    "quiz": ("quiz scoring", None),
    "start": ("start time", "start"),
    "submitted": ("completion time (blank: not submitted)", "submitted"),
}
# Microsoft Forms begins every export with the same five columns, in any interface language:
# ID, start time, completion time, e-mail, name ("ID, Startzeit, Fertigstellungszeit, E-Mail, Name").
MICROSOFT_FORMS_FIRST = (None, "start", "submitted", "email", "name")
MAIL_WORDS = ("mail", "correo", "courriel", "messagerie", "epost", "posta")
# A quiz score as Google Forms writes it, whatever the header's language: "7 / 10".
QUIZ_SCORE = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*/\s*\d+(?:[.,]\d+)?\s*$")
# Qualtrics' own tags for question columns (Q2, Q2_1, Q4_TEXT, Q5_1_TEXT, 1_Q2), which a survey's
# owner may rename; an untagged column whose two header rows agree is a field, not a question.
QUALTRICS_TAG = re.compile(r"^(\d+_)?Q\d+(_\w+)?$")


def tool_added(tool: str, names: tuple[str, ...], import_id: str) -> str | None:
    """Why a column is one the tool added by itself (its reason for the report), or None.

    ``import_id`` is Qualtrics' ImportId when the export has one: a code that
    is no question's and no catalogued field's is embedded data.
    """
    if import_id and TEXT_IQ_CODE.search(import_id) and "_TEXT" in import_id:
        return "Qualtrics Text iQ field (topics or sentiment computed from an answer)"
    for by_code, by_name, reason in QUALTRICS_DERIVED if tool == "qualtrics" else ():
        if (import_id and by_code.search(import_id)) or (not import_id and by_name.search(names[0])):
            return reason
    for name in names:
        if tool == "qualtrics" and TEXT_IQ_NAME.search(name):
            return "Qualtrics Text iQ field (topics or sentiment computed from an answer)"
        if QUALTRICS_SYSTEM.search(name):
            return "Qualtrics system field"
        if LIMESURVEY_TIMING.match(name.strip()) or re.match(r"^(group|question) time:", name, re.I):
            return "LimeSurvey timing"
        if tool == "limesurvey" and re.match(r"^filecount\s*-\s", name, re.I):
            return "LimeSurvey count of uploaded files"
    return None


def left_over(tool: str, names: tuple[str, ...], import_id: str, part: str | None) -> str | None:
    """The reason a column nothing else knew is still the tool's own field, or None.

    Asked last, after questions and segments: embedded data and hidden fields
    are named by the survey's owner, so they may well be a segment. Part
    ``embedded`` is a column of two header rows without ImportId whose label
    repeats its name (legacy embedded data) and whose name is no question tag.
    """
    if tool == "qualtrics" and import_id and not QUALTRICS_QUESTION.match(import_id):
        return "Qualtrics embedded-data field (set by the survey, not asked)"
    if part == "embedded":
        return "Qualtrics embedded-data field (set by the survey, not asked)"
    if tool == "typeform" and names and TYPEFORM_HIDDEN.match(names[0]):
        return "Typeform hidden field (set by the link, not asked)"
    return None


def limesurvey_parts(codes: list[str]) -> list[str | None]:
    """Per column: ``'other'``, ``'timing'`` or None, from LimeSurvey's field codes.

    ``M3[other]`` and ``M3[comment]`` (``123X4X5other`` in SGQA form), and
    ``Question? [Other]`` beside a column ``Question?`` in a full-text export,
    hold the text written beside a choice. Timings follow ``interviewtime``:
    ``groupTime123`` per group and ``<code>Time`` per question, named after a
    question code of the same export, so they are known without a list.
    """
    bases = {re.sub(r"\[.*$", "", c) for c in codes if c}
    present = set(codes)
    out: list[str | None] = []
    timing = False
    for code in codes:
        timing = timing or code.casefold() == "interviewtime"
        beside = re.match(r"^(.*\S)\s*\[[^\[\]]+\]$", code)
        if re.search(r"(\[(other|comment)\]|^\d+X\d+X\d+\w*?(other|comment))$", code, re.I) or (
                beside and beside.group(1) in present):
            # "Q [Other]" beside a column "Q" is that question's Other text, in any language; a
            # grid's "Title [statement]" has no column "Title".
            out.append("other")
        elif LIMESURVEY_TIMING.match(code) or (code.endswith(("Time", "time")) and (
                timing or code[:-4] in bases)):
            out.append("timing")
        else:
            out.append(None)
    return out


def qualtrics_choice_texts(keys: list[str]) -> list[bool]:
    """Which columns are the text written beside a choice (``QID1_4_TEXT`` of question ``QID1``).

    ``keys`` are the ImportIds (or, in the legacy format, the column names
    ``Q1_4_TEXT``). Only when the question's own column is in the export: a
    grid's text-entry statements have no such column.
    """
    present = set(keys)
    out = []
    for key in keys:
        match = QUALTRICS_CHOICE_TEXT.match(key)
        out.append(bool(match) and match.group(1) in present)
    return out


def is_microsoft_forms(labels: list[str], container: str, compact) -> bool:
    """Microsoft Forms' fixed start, by position: ``ID`` first, an e-mail header fourth (a workbook)."""
    return (container == "xlsx" and len(labels) >= 5 and compact(labels[0]) == "id"
            and any(w in compact(labels[3]) for w in MAIL_WORDS))


def derived_parts(labels: list[str]) -> list[str | None]:
    """Microsoft Forms' quiz columns: ``Points - <question>`` and ``Feedback - <question>``.

    Known by their shape, a prefix and the header of an earlier column, so the
    interface language of the prefix does not matter.
    """
    seen: set[str] = set()
    out: list[str | None] = []
    for label in labels:
        prefix, _, rest = label.partition(" - ")
        out.append("quiz" if prefix and rest in seen else None)
        seen.add(label)
    return out


def value_parts(tool: str, parts: list[str | None], rows: list[list[str]]) -> list[str | None]:
    """Parts known from the values: Google Forms' quiz score column, in any language."""
    if tool != "google-forms":
        return parts
    out = list(parts)
    for ci in range(len(out)):
        values = [r[ci] for r in rows if ci < len(r) and r[ci].strip()]
        if out[ci] is None and values and all(QUIZ_SCORE.match(v) for v in values):
            out[ci] = "quiz"
    return out


def surveymonkey_parts(tops: list[str], subs: list[str], compact, answer_words: set[str]) -> list[str | None]:
    """Per column: ``'other'``, ``'contact'`` or None, from the layout of the two header rows.

    A question's title is on row 1 above its first column only. A single
    answer question has ``Response`` (one of ``answer_words``, compacted, in
    the interface's language) below its first column; a further column
    under the same title is the free text of its "Other (please specify)"
    choice, whatever the survey's language. A title over three or more of
    the contact fields (name, company, address…) is a contact block.
    """
    out: list[str | None] = [None] * len(tops)
    starts = [i for i, t in enumerate(tops) if t.strip()] + [len(tops)]
    for i, sub in enumerate(subs):
        if "pleasespecify" in compact(sub):   # the default wording, wherever it stands
            out[i] = "other"
    for start, end in zip(starts, starts[1:]):
        group = range(start, end)
        if compact(subs[start]) in answer_words:
            for i in group[1:]:
                if subs[i].strip():
                    out[i] = "other"
        elif sum(compact(subs[i]) in CONTACT_FIELDS for i in group) >= 3:
            for i in group:
                out[i] = "contact"
    return out
