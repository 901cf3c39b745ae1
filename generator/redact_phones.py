"""Phone numbers in free text, for :mod:`cxsite.redact`.

A pattern finds runs of digits written the way people write numbers
(``+44 20 7946 0958``, ``(020) 7946-0958``, ``0171/1234567``,
``06 12 34 56 78``); the ``phonenumbers`` library (Google's libphonenumber
metadata) then decides whether a run is a phone number of one of the
regions. A plain run of digits is a phone number only after a word such as
"call" or "mobile": without that, order numbers and counts would be redacted
too. Dates, year ranges, IP addresses, amounts of money, versions and numbers
after "order", "ticket", "invoice"… are never taken for one.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException

# National formats tried for a number written without its country code: the
# regions cxsite's clients work in, most likely first (the first valid one wins).
DEFAULT_REGIONS = ("GB", "US", "FR", "DE", "IE", "ES", "IT", "NL", "BE", "CH", "AT", "AU", "CA",
                   "NZ", "LU", "PT", "SE", "DK", "NO", "FI", "PL")

# Library look-ups (about 1 ms for all regions) per text; see phone_spans.
MAX_LOOKUPS = 50
_SP = r"[ \t\u00a0]"
# Between two digits: a space or two, one of - – . / with optional spaces, or a bracket.
_SEP = rf"(?:{_SP}?[-–./]{_SP}?|{_SP}{{1,2}}|{_SP}?\({_SP}?|{_SP}?\){_SP}?)?"
CANDIDATE = re.compile(
    rf"(?<![\w#@/.,+\-–])(?<!\d:)(?:\+{_SP}?|00{_SP}?|\({_SP}?\+?)?\d(?:{_SEP}\d){{5,16}}"
    rf"(?:{_SP}*(?:x|ext\.?|extension|poste|Durchwahl|DW){_SP}*\d{{1,6}})?(?![\w@]|[.,:/]\d)", re.I)
_DIGITS = re.compile(r"\d")
_SEVEN_DIGITS = re.compile(r"\d(?:\D{0,4}\d){6}")  # the cheap test: no phone number has fewer
_EXTENSION = re.compile(r"(?:x|ext\.?|extension|poste|Durchwahl|DW)\W*\d+$", re.I)
_DATE = re.compile(r"\d{1,4}([./-])\d{1,2}\1\d{1,4}|\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_YEARS = re.compile(r"(?:19|20)\d\d(?:\s*[-–/,]?\s*(?:19|20)?\d\d)+")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}")
_MONEY_BEFORE = re.compile(r"(?:[£$€¥₹]|\b(?:EUR|USD|GBP|CHF|AUD|CAD|Rs)\.?)\s*$", re.I)
_MONEY_AFTER = re.compile(r"^\s*(?:[£$€¥₹%‰]|(?:EUR|USD|GBP|CHF|euros?|dollars?|pounds?|francs?|k|m|bn"
                          r"|million|millions|billion|people|customers|calls|units|users|km|kg|miles"
                          r"|minutes|hours|seconds|days|times)\b)", re.I)
# Words after which a number is an identifier of something else, not a phone.
_ID_BEFORE = re.compile(
    r"(?:\b(?:ticket|order|case|ref|reference|invoice|booking|account|acct|policy|id|serial|tracking"
    r"|parcel|claim|contract|customer|membership|member|po|sku|item|product|part|version|release"
    r"|build|v|no|nr|n°|commande|dossier|facture|bestellung|rechnung|auftrag|kundennummer)\b\.?"
    r"(?:\s*(?:number|no\.?|nr\.?|num|#|numéro|nummer))?|#)\s*[:#]?\s*$", re.I)
# Words after which a bare run of digits is a phone number.
_PHONE_BEFORE = re.compile(
    r"\b(?:call(?:ed|ing)?|phone[ds]?|tel|telephone|mobile|mob|cell|ring|rang|text|sms|whatsapp|fax"
    r"|number|reach|contact|dial(?:led)?|hotline|tél|téléphone|portable|numéro|appeler|appelez"
    r"|handy|telefon|nummer|anrufen|ruf|rufnummer)\b\W{0,3}(?:\w+\W{1,3}){0,3}$", re.I)


def _regions_valid(text: str, regions: tuple[str, ...], possible: bool = False) -> bool:
    """Whether ``text`` is a valid (or merely possible) number of one of ``regions``."""
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) or (possible and phonenumbers.is_possible_number(number)):
            return True
    return False


def _groups(candidate: str) -> list[str]:
    return re.findall(r"\d+", candidate)


def _never_a_phone(candidate: str, before: str, after: str) -> bool:
    """Dates, years, IP addresses, money, counts, identifiers and score lists."""
    if (_DATE.fullmatch(candidate) or _YEARS.fullmatch(candidate) or _IPV4.fullmatch(candidate)
            or _DOT_THOUSANDS.fullmatch(candidate)):
        return True
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after) or _ID_BEFORE.search(before):
        return True
    groups = _groups(candidate)
    # "5 4 3 4 5 2 1": single digits one after another are ratings, not a number.
    return sum(len(g) == 1 for g in groups) > 2


def is_phone(candidate: str, before: str, after: str, regions: tuple[str, ...]) -> bool:
    """Whether one digit run found by :data:`CANDIDATE` is a phone number.

    ``before`` and ``after`` are the text around it (their ends next to it).
    """
    body = _EXTENSION.sub("", candidate).strip()
    digits = "".join(_DIGITS.findall(body))
    international = body.startswith(("+", "00", "(+"))
    if international:
        digits = digits[2:] if body.startswith("00") else digits
        if not 7 <= len(digits) <= 15:
            return False
        try:
            number = phonenumbers.parse("+" + digits, None)
        except NumberParseException:
            return False
        return phonenumbers.is_possible_number(number)
    if not 7 <= len(digits) <= 15 or _never_a_phone(body, before, after):
        return False
    if _PHONE_BEFORE.search(before):
        return _regions_valid(body, regions, possible=True)
    trunk = body.startswith(("0", "("))
    if trunk:  # national format: 020 7946 0958, (0)6 12 34 56 78, (415) 555-2671
        return _regions_valid(body, regions, possible=len(digits) >= 9)
    if len(_groups(body)) >= 2:  # 415-555-2671, 612 345 678
        return _regions_valid(body, regions)
    return False  # a bare run of digits with nothing saying it is a phone: an id or a count


def phone_spans(text: str, regions: tuple[str, ...]) -> list[tuple[int, int]]:
    """The spans of the phone numbers in ``text`` (NFKC-normalised, so ASCII digits)."""
    if not _SEVEN_DIGITS.search(text):
        return []
    out = []
    for i, m in enumerate(CANDIDATE.finditer(text)):
        start, end = m.span()
        before, after = text[max(0, start - 40):start], text[end:end + 12]
        if i >= MAX_LOOKUPS:
            # A text of thousands of numbers is hostile, not a comment: past the limit every
            # number-shaped run that is not plainly something else goes, at no library cost.
            if not _never_a_phone(m.group(), before, after):
                out.append((start, end))
        elif is_phone(m.group(), before, after, regions):
            out.append((start, end))
    return out
