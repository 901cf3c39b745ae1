"""Personal data out of free text: contact details, street addresses and people's names.

One detector for the whole generator: comments shown in a report go through
:func:`redact`, an import redacts the names of its own respondents with
``known_names`` before it writes ``responses.csv``, and segment values are
refused when :func:`contact_kind` finds an e-mail address, phone number or
web address in them (segment values are published as group names).

Detection runs on an NFKC-normalised copy of the text, so full-width
``ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ`` and digits read as their ASCII forms, but the
replacement is made on the original characters: what is not redacted comes
out exactly as it was written. Every detector is a compiled pattern, tried
only when a cheap test (an ``@``, a run of digits, a capital letter) says it
could match, so that an engagement of 10,000 comments costs a fraction of a
second.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .redact_names import KnownNames, Words, address_spans, name_spans
from .redact_phones import DEFAULT_REGIONS, phone_spans

__all__ = ["REDACTED", "DEFAULT_REGIONS", "KnownNames", "redact", "find_spans", "contact_kind"]

REDACTED = "[redacted]"

# Characters people (or their software) put inside an address to hide it from a
# pattern: zero-width spaces and joiners, soft hyphens, word joiners, BOMs.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), "")
# Ideographic full stops, which NFKC leaves alone, separate domain labels in CJK text.
_EXTRA = {0x3002: ".", 0xFF61: ".", 0xFE12: "."}

# ----------------------------------------------------------------------------- e-mail

# RFC 5322 atext, with Unicode letters and digits for internationalised local parts (RFC 6531).
_ATEXT = r"[\w!#$%&'*+/=?^`{|}~-]"
_LOCAL = rf"(?:{_ATEXT}+(?:\.{_ATEXT}+)*|\"(?:[^\"\\\r\n]|\\.){{1,64}}\")"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_DOMAIN = rf"(?:(?:{_LABEL}\.)+(?:[^\W\d_]{{2,63}}|xn--[a-z0-9-]+)|\[[0-9A-Fa-f:.]+\])"
# Only from the start of a run of atext: tried at every character of "aaaa…a@" a match
# would cost the length of the run each time, quadratic in a hostile cell.
EMAIL = re.compile(rf"(?<![\w!#$%&'*+/=?^`{{|}}~.\"-]){_LOCAL}[ \t]?@[ \t]?{_DOMAIN}")
_EMAIL_LEAD = "'`"  # atext, but here the quote around an address: "'jane@example.com'"

# "jane dot doe at example dot com", "jane [at] example.com", "jane(at)example(dot)com".
_WORD = r"[\w+%-]+"
_BRACKET_AT = r"\s*[\[({<]\s*(?:at|@|arobase|ät)\s*[\])}>]\s*"
_WORD_AT = r"\s+(?:at|AT|arobase)\s+"
_BRACKET_DOT = r"\s*[\[({<]\s*(?:dot|point|punkt)\s*[\])}>]\s*"
_WORD_DOT = r"\s+(?:dot|DOT|point|punkt)\s+"
_ANY_DOT = rf"(?:{_BRACKET_DOT}|{_WORD_DOT}|\.)"
_TLD = r"(?:com|org|net|edu|gov|info|biz|io|co|uk|ie|fr|de|es|it|nl|be|ch|at|eu|us|ca|au|nz)"
# At most four dots on either side: unbounded, "a dot a dot …" would cost quadratic time.
OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.@+%-])(?:{_WORD}(?:{_ANY_DOT}{_WORD}){{0,4}}{_BRACKET_AT}{_WORD}(?:{_ANY_DOT}{_WORD}){{0,4}}"
    rf"{_ANY_DOT}{_TLD}"
    # A plain " at " is everyday English ("staff at example.com"): only with a spelled-out dot.
    rf"|{_WORD}(?:{_ANY_DOT}{_WORD}){{0,4}}{_WORD_AT}{_WORD}(?:{_ANY_DOT}{_WORD}){{0,4}}"
    rf"(?:{_BRACKET_DOT}|{_WORD_DOT}){_TLD})\b", re.I)
# The spelled-out or bracketed words any obfuscated address has ("[at]", " dot "): tested with
# `in` first because " at " alone is in half of all comments.
_OBFUSCATION_WORDS = re.compile(r"dot|[\[({<]\s*(?:at|@)\s*[\])}>]|arobase|punkt|point|ät")  # on .lower()

# ----------------------------------------------------------------------------- URLs

# Not from inside another URL ("http://http://…" would cost quadratic time, and is one URL).
URL = re.compile(r"(?<![\w/.:@-])(?:[a-z][a-z0-9+.-]{1,15}://|www\d{0,3}\.)[^\s<>\"]+", re.I)
# A bare host, "janesplumbing.co.uk" or "example.com/contact"; not file names ("notes.md"),
# so only the common generic and European/Commonwealth top-level domains.
_BARE_TLD = (r"(?:com|org|net|info|biz|io|app|dev|co|uk|ie|fr|de|es|it|nl|be|ch|at|eu|us|ca|au|nz"
             r"|lu|pt|se|dk|no|fi|pl|cz|gov|edu|online|site|shop|store|tech)")
BARE_HOST = re.compile(
    rf"(?<![\w@.\-/])((?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+{_BARE_TLD})(?![\w-]|\.\w)([/?#][^\s<>\"]*)?",
    re.I)
_DOT_TLD = re.compile(rf"\.{_BARE_TLD}\b", re.I)  # starts with a literal: a fast test for BARE_HOST
_TRAILING = ".,;:!?'\"»”’>"


def _trim_url(text: str, start: int, end: int) -> int:
    """``end`` without the punctuation that closes the sentence around a URL."""
    while end > start and text[end - 1] in _TRAILING + ")]":
        ch = text[end - 1]
        if ch in ")]" and text.count("(" if ch == ")" else "[", start, end) >= \
                text.count(ch, start, end):
            break  # a bracket of the URL itself: en.wikipedia.org/wiki/Foo_(bar)
        end -= 1
    return end


def _email_spans(norm: str) -> list[tuple[int, int]]:
    out = []
    if "@" in norm:
        for m in EMAIL.finditer(norm):
            start = m.start()
            while norm[start] in _EMAIL_LEAD and norm[start + 1] != "@":
                start += 1
            out.append((start, m.end()))
    if _OBFUSCATION_WORDS.search(norm.lower()):
        out += [m.span() for m in OBFUSCATED_EMAIL.finditer(norm)]
    return out


def _url_spans(norm: str, bare: bool = True) -> list[tuple[int, int]]:
    """Web addresses; ``bare`` hosts without a path too (else only with one)."""
    out = []
    if "://" in norm or "www" in norm.lower():
        out += [(m.start(), _trim_url(norm, m.start(), m.end())) for m in URL.finditer(norm)]
    if _DOT_TLD.search(norm):
        for m in BARE_HOST.finditer(norm):
            host, path = m.group(1), m.group(2)
            if host.isupper() and not path:
                continue  # ASP.NET, not a host anyone types in capitals
            if path or bare:
                out.append((m.start(), _trim_url(norm, m.start(), m.end())))
    return out


# ----------------------------------------------------------------------------- normalising


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """NFKC text for detection, and the original index of every normalised character.

    ``None`` for the index when the text is plain ASCII (then both are the same).
    """
    if text.isascii():
        return text, None
    parts: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            n = ch
        else:
            n = unicodedata.normalize("NFKC", ch).translate(_EXTRA).translate(_INVISIBLE)
        parts.append(n)
        index.extend([i] * len(n))
    index.append(len(text))
    return "".join(parts), index


def _merge(spans: Iterable[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Overlapping spans, and spans apart by spaces only ("Jane" "Doe"), as one."""
    out: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if out and (start <= out[-1][1] or not text[out[-1][1]:start].strip(" \t")):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def find_spans(text: str, known_names: Iterable[str] | KnownNames = (),
               regions: tuple[str, ...] = DEFAULT_REGIONS) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of ``text`` :func:`redact` replaces, sorted, not overlapping.

    Parameters
    ----------
    text
        Any free text, as written.
    known_names
        Names to redact wherever they stand as words, case-insensitively (see
        :class:`KnownNames`; pass one built once when redacting many texts).
    regions
        ISO country codes whose national phone formats are recognised.
    """
    norm, index = _normalise(text)
    names = known_names if isinstance(known_names, KnownNames) else KnownNames(known_names)
    words = Words(norm)
    found = _email_spans(norm) + _url_spans(norm) + phone_spans(norm, regions) \
        + address_spans(norm, words) + name_spans(norm, words) + names.spans(norm)
    if index is not None:
        found = [(index[s], index[e - 1] + 1) for s, e in found if e > s]
    return _merge(found, text)


def redact(text: str, known_names: Iterable[str] | KnownNames = (),
           regions: tuple[str, ...] = DEFAULT_REGIONS) -> str:
    """``text`` with personal data replaced by ``[redacted]``.

    Replaced: e-mail addresses (RFC 5322 local parts, quoted ones, Unicode and
    full-width forms, "jane dot doe at example dot com"), web addresses, phone
    numbers in international and national formats of ``regions``, street
    addresses and postcodes (English, French, German), people's names (a common
    given name with a surname, an honorific with a name) and ``known_names``.

    Parameters
    ----------
    text
        The comment as written; what is not redacted is returned unchanged.
    known_names
        Names the engagement knows (an export's name columns, a leader
        hierarchy), redacted as whole words in any case.
    regions
        ISO country codes whose national phone formats are recognised.

    Returns
    -------
    str
        The text with each found span (adjacent ones merged) replaced by one ``[redacted]``.
    """
    spans = find_spans(text, known_names, regions)
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], REDACTED]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def contact_kind(value: str, regions: tuple[str, ...] = DEFAULT_REGIONS) -> str | None:
    """What contact detail ``value`` holds (``"an e-mail address"``, ``"a phone number"``,
    ``"a web address"``), or None.

    For values published as they are, such as segment values. A bare host
    without a path ("Booking.com") is a brand a customer-channel segment may
    well be called, so only a web address with a scheme, ``www.`` or a path counts.
    """
    norm, _ = _normalise(value)
    if _email_spans(norm):
        return "an e-mail address"
    if _url_spans(norm, bare=False):
        return "a web address"
    if phone_spans(norm, regions):
        return "a phone number"
    return None

