"""The table of problem codes: one stable, short kebab-case id per kind of problem.

``cxsite validate --format json`` gives every problem its ``code``, so a
pre-commit hook, an editor or a CI step can act on the kind of a problem
without parsing its wording. Codes are a contract: a code is never renamed
or reused for another kind; new kinds get new codes.

A call site may name its code (``errors.add(where, message, code="…")``); one
that does not gets the code of the first row of :data:`CODES` whose pattern
matches the start of the message, and :data:`FALLBACK` when none does. The
patterns exist so that the many validators need not all be edited at once;
``tests/test_errors.py`` checks that every message of the bad-input corpus
gets a specific code.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple


class Code(NamedTuple):
    """One kind of problem: its code, a pattern its messages match, and what it means."""

    code: str
    pattern: str
    meaning: str


FALLBACK = "invalid-input"

# Order matters: the first match wins, so narrower patterns come before wider ones.
CODES: tuple[Code, ...] = (
    # Reading a file: encoding and syntax
    Code("unreadable-file", r"cannot read (file|value|this workbook)", "the file cannot be read at all"),
    Code("not-utf8", r"(byte 0x[0-9a-f]{2} (is not UTF-8|cannot be read as)|file (is|looks like) UTF-(16|32)|"
                     r"the file ends in the middle of a UTF-8|the file starts with a .* byte-order mark)",
         "the file is not UTF-8 text (or not in the encoding it was read as)"),
    Code("binary-file", r"((NUL byte|byte 0x[0-9a-f]{2}): this is a binary file|file contains zero bytes)",
         "the file is not text at all"),
    Code("file-too-large", r"(file is [\d.]+ MB, over the|the sheet holds over)", "the file is over the size limit"),
    Code("empty-file", r"(file is empty|the file has a header but no responses|file holds no YAML document|"
                       r"the file has no header row|the workbook has no worksheet)", "the file holds nothing to read"),
    Code("unsupported-file", r"(this is a legacy Excel|file is named like an Excel workbook|reading \.xlsx needs)",
         "a file of a kind cxsite does not read"),
    Code("yaml-syntax", r"(YAML (syntax )?error|tab character|'<<' merges only mappings|a mapping key must be a plain)",
         "the YAML cannot be parsed, or uses YAML cxsite does not accept"),
    Code("yaml-too-complex", r"(document expands to|nesting is too deep)",
         "the YAML nests or repeats aliases beyond the limits"),
    Code("csv-syntax", r"(CSV error|row has \d+ fields)", "the CSV cannot be parsed into rows"),
    Code("duplicate-key", r"(duplicate key|'[^']*' is given twice in this mapping)", "a mapping names a key twice"),
    # Shape of a document (the format declarations in model.py)
    Code("unknown-key", r"unknown key", "a key the format does not have"),
    Code("missing-key", r"\S+ is missing the required key", "a required key is absent"),
    Code("too-few", r"'[^']+' needs at least", "a list or mapping has fewer entries than it needs"),
    Code("not-a-date", r"('[^']*' is not a date in the calendar|expected a date)", "a date that is not a day"),
    Code("date-out-of-range", r"date \S+ is outside", "a date before or after the dates cxsite accepts"),
    Code("number-out-of-range", r"expected a (whole )?number from \S+ to \S+, got (the number|a number of|'[^']*', "
                                r"which is|an infinite|not a number)",
         "a number outside its bounds, or not finite"),
    Code("wrong-type", r"expected .*, got", "a value of the wrong type or not among the choices"),
    Code("invalid-id", r"(engagement folder name '[^']*' is not a valid id)", "an id that is not lowercase letters, digits and '-'"),
    # Questionnaires
    Code("duplicate-id", r"duplicate (\w+ )?id", "two entries of a questionnaire share an id"),
    Code("duplicate-questionnaire", r"questionnaire '[^']*' version \S+ is also defined", "one id and version in two files"),
    Code("reserved-id", r"'[^']*' is reserved for", "an id that a column of its own already has"),
    Code("unknown-scale", r"unknown scale", "an item names a scale the questionnaire does not define"),
    Code("unknown-band", r"'[^']*' is not a band id", "narratives or actions name a band that does not exist"),
    Code("scale-invalid", r"(scale '[^']*' (runs|skips)|an nps scale runs|label '[^']*' of point|(un)?favorable point|"
                          r"point \S+ is both|not-applicable answer)",
         "a scale's points, labels or not-applicable answers do not make a usable scale"),
    Code("mixed-scales", r"dimension '[^']*' mixes scales", "a dimension's items do not share one scale"),
    Code("bands-invalid", r"(bands must be in ascending order|the first band must start)", "bands that do not cover 0-100 in order"),
    # Version rules against the archived version (versions.py): the bump a change needs
    Code("version-not-newer", r"version \S+ is not above the archived version",
         "a current questionnaire whose version is not above its newest archived version"),
    Code("archive-misnamed", r"an archived questionnaire is named", "a file in assessments/archive/ not named "
                                                                       "<id>-<version>.yml after what it declares"),
    Code("retired-id-reused", r"item '[^']*' reuses the id of an item retired", "an item id retired in an "
                                                                                 "earlier version, back with another meaning"),
    Code("version-item-removed", r"item '[^']*' was removed since", "an item removed without a major bump"),
    Code("version-item-moved", r"item '[^']*' moved from .* to .* since",
         "an item moved between dimensions without a major bump"),
    Code("version-item-rescaled", r"item '[^']*' has another scale since", "an item's scale changed without a "
                                                                           "major bump"),
    Code("version-item-rekeyed", r"item '[^']*' was re-keyed", "an item's reverse flag flipped without a major bump"),
    Code("version-item-reworded", r"item '[^']*' was reworded since", "an item reworded without a minor bump"),
    Code("version-item-added", r"item '[^']*' was added since", "an item added without a minor bump"),
    Code("version-bands-moved", r"band limits moved", "band limits moved without a major bump"),
    Code("version-change", r".* since version \S+ \(.*\): that needs a \w+ version bump",
         "another change (a dimension's weight, a dimension removed, a new narrative, …) bigger than the bump"),
    # Engagements
    Code("unknown-assessment", r"unknown assessment", "an engagement names no known questionnaire"),
    Code("unknown-version", r"questionnaire '[^']*' has no version", "an engagement names a version that does not exist"),
    Code("questionnaire-broken", r"questionnaire '[^']*' has errors", "an engagement's questionnaire failed to load"),
    Code("previous-invalid", r"(previous engagement|'previous' links|an engagement cannot be its own previous)",
         "'previous' does not name an earlier wave of the same client"),
    Code("bad-file-name", r"'[^']*' cannot be a file name", "a file name the operating system cannot take"),
    Code("outside-folder", r"(.*links? (to a place )?outside|engagement folder is a link|.*must name a file inside)",
         "a file or link that leaves the engagement's folder or the project"),
    Code("logo-invalid", r"logo", "a logo that is missing, too large, unsafe or not what its name says"),
    Code("invited-too-few", r"invited: \d+ is fewer", "more usable respondents than people invited"),
    Code("segment-invalid", r"(segment '[^']*' has the name|a segment is listed twice)", "a segment that cannot be a column"),
    Code("column-map-invalid", r"column '[^']*' is mapped to", "a 'columns:' entry maps to no question or segment"),
    # Responses
    Code("contact-as-segment", r"column '[^']*' holds (an e-mail address|a phone number|a web address)",
         "a segment value that is a contact detail: it would be published as a group name"),
    Code("value-off-scale", r"column '[^']*': '[^']*' is not (a point|an answer)", "an answer that is not on its scale"),
    Code("missing-column", r"(missing (\w+ )?column|rating is missing item)",
         "a column (or rated item) the questionnaire or engagement needs is absent"),
    Code("unnamed-column", r"column \d+ has no name", "a header cell is blank"),
    Code("unknown-column", r"(unknown column|note for unknown item)", "a column (or note) that is no question, "
                                                                       "segment or respondent_id"),
    Code("duplicate-column", r"column '[^']*' appears twice", "a header names a column twice"),
    Code("duplicate-respondent", r"respondent_id '[^']*' repeats", "a respondent appears twice"),
    # SVG logos (images.py): messages name what the image holds
    Code("unsafe-image", r"('\w+' refers to|CSS |an? <|an event handler|not well-formed XML|a processing instruction|"
                         r"is not an SVG image|an HTML element|attribute '[^']*' holds a script)",
         "an image that could run code, fetch something or is not well-formed"),
    # Importing survey exports
    Code("personal-data", r"column \d+ '[^']*' holds personal data", "an export column that must not be imported"),
    Code("column-ambiguous", r"(column \d+ '[^']*' (contains the text of several|names several)|columns .* both map to|"
                             r"no column of the export is|columns: '[^']*' maps to)",
         "export columns that match no question, or more than one"),
    Code("all-excluded", r"every one of the \d+ responses is excluded", "the quality rules leave no response"),
    Code("import-failed", r"the converted responses do not load back", "an import produced responses that do not load"),
    Code("not-an-engagement", r"this folder is not the project's engagement", "--engagement names no engagement"),
    # Outputs (outputs.py, build.py): where a site, zip or file would be written
    Code("output-refused", r"(.*which holds project data|cannot write|is a link to nothing|is a file, not a folder|"
                           r"is a folder(, not a file| where a file is written|, where the site's zip)|"
                           r"exists and (was|is) not|its folder is not writable|is read-only|holds .*, not )",
         "an output that would harm the project or cannot be written there"),
    Code("mkdocs-build", r"MkDocs build failed", "MkDocs refused the generated site (strict mode)"),
    Code("client-slug-clash", r"clients '[^']*' and '[^']*' share", "two clients whose names give one folder name"),
    # Command line
    Code("bad-option", r"(--\S+|expected I/N|goes with --|needs --|builds every client)", "a command-line option is wrong"),
    Code("no-project", r"(no cxsite project here|no mkdocs\.yml here)", "the folder is not a project root"),
    Code("not-found", r"(no such file|no engagement|no (engagement has )?client|export file not found|"
                      r"responses file '[^']*' not found)", "a named file, engagement or client does not exist"),
)

KNOWN = frozenset(c.code for c in CODES) | {FALLBACK, "internal"}


@functools.cache
def _compiled() -> tuple[tuple[re.Pattern, str], ...]:
    # Compiled at the first message without a code, not at every start-up.
    return tuple((re.compile(c.pattern), c.code) for c in CODES)


def code_for(message: str) -> str:
    """The code of a message whose call site named none: the first matching row of :data:`CODES`."""
    for pattern, code in _compiled():
        if pattern.match(message):
            return code
    return FALLBACK
