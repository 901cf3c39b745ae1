"""People's names and street addresses in free text, for :mod:`cxsite.redact`.

Names are found three ways: names the engagement knows (:class:`KnownNames`,
from an export's name columns or a leader hierarchy), a common given name
followed by a surname-like word ("Sarah Jenkins", "Jean-Luc Martin"), and an
honorific followed by a name ("Mrs Patel", "M. Dupont", "Frau Schmidt"). The
word lists are data files in ``generator/data/``; see their headers.

Addresses are found by the shapes they have in English, French and German
("221B Baker Street", "Flat 3, 12 High Road", "SW1A 1AA", "3 bis avenue
Foch", "75001 Paris", "Hauptstraße 5", "Am Markt 3").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from pathlib import Path

DATA = Path(__file__).parent / "data"


@functools.cache
def load_list(name: str) -> tuple[str, ...]:
    """The entries of the word list ``generator/data/<name>.txt``: one a line, ``#`` comments."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(s for s in (line.split("#", 1)[0].strip() for line in lines) if s)


@functools.cache
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(given names, given names that are also words, not-surnames casefolded, name words)."""
    ambiguous = frozenset(load_list("given_names_ambiguous"))
    given = frozenset(load_list("given_names")) - ambiguous
    stop = frozenset(w.casefold() for w in load_list("not_surnames"))
    words = frozenset(w.casefold() for w in load_list("name_words")) | {w.casefold() for w in ambiguous}
    return given, ambiguous, stop, words


# ----------------------------------------------------------------------------- addresses

_CAP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĘĚĹĽŁŃŇŐŒŔŘŚŞŠŢŤŮŰŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćčďđęěĺľłńňőœŕřśşšţťůűźżž"
_CAPWORD = rf"[{_CAP}][{_LOW}{_CAP}'’-]*"
_EN_TYPE = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Place|Pl|Court|Ct|Crescent"
            r"|Terrace|Gardens|Square|Sq|Boulevard|Blvd|Row|Mews|Hill|Park|Grove|Walk|Parade|Highway"
            r"|Hwy|Circle|Parkway|Rise|View|Wharf|Quay)")
_EN_UNIT = r"(?:\b(?:Flat|Apartment|Apt|Unit|Suite)\.?\s*\d{1,4}[A-Za-z]?,?\s+)?"
_EN_UNIT_AFTER = r"(?:,?\s+(?:Flat|Apartment|Apt|Unit|Suite|Ste)\.?\s*\d{1,4}[A-Za-z]?\b)?"
_FR_TYPE = (r"(?i:rue|avenue|av\.|bd|boulevard|place|allée|allee|impasse|chemin|quai|cours|route"
            r"|passage|square|faubourg|voie|sentier|esplanade|promenade|cité|parvis)")
_FR_LINK = r"(?:(?:de|du|des|la|le|les|l['’]|d['’]|au|aux|sur|en|et)\s*)"
_DE_SUFFIX = (r"(?:straße|strasse|str\.|weg|allee|gasse|platz|damm|ufer|chaussee|steig|pfad|graben|stieg"
              r"|straat|laan|plein|gracht|kade|singel|dijk)")
_DE_TYPE = r"(?:Straße|Strasse|Str\.|Weg|Allee|Gasse|Platz|Ring|Damm|Ufer|Chaussee|Markt)"
_DE_PREP = r"(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Unter den|Hinter der|Vor dem)"
_HOUSE = r"\d{1,4}[a-zA-Z]?(?:\s?[-/]\s?\d{1,4}[a-z]?)?\b"
_TYPE_FIRST = frozenset("Rue Avenue Boulevard Place Chemin Route Quai Allée Impasse Via Viale Corso Piazza Calle "
                        "Avenida Rua Carrer Plaza Paseo Travessa".split())
_EN_TYPES = frozenset("street st road rd avenue ave lane ln drive dr close way place pl court ct crescent "
                      "terrace gardens square sq boulevard blvd row mews hill park grove walk parade highway "
                      "hwy circle parkway rise view wharf quay".split())
_FR_TYPES = frozenset("rue avenue av bd boulevard place pl allée allee impasse chemin quai cours route passage "
                      "square faubourg voie sentier esplanade promenade cité parvis".split())
_DE_SUFFIXES = ("straße", "strasse", "str", "weg", "allee", "gasse", "platz", "damm", "ufer", "chaussee",
                "steig", "pfad", "graben", "stieg", "ring", "markt", "straat", "laan", "plein", "gracht",
                "kade", "singel", "dijk")
_DE_PREPS = frozenset("am an auf im in zum zur unter hinter vor".split())
_US_STATES = frozenset("AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC "
                       "ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY".split())


_INWARD_CODE = re.compile(r"\d[A-Z]{2}\b")  # "1AA" of "SW1A 1AA": any UK postcode ends so
_FIVE_DIGITS = re.compile(r"\d{5}\s")
_DIGIT = re.compile(r"\d")
_DE_STREET_WORD = re.compile("|".join(_DE_SUFFIXES))  # searched in the lowercased text: re.I is slow


# Each pattern with a test of the text's words that any match needs: a comment
# without such a word costs a set lookup, not a regex scan (10,000 comments a build).
ADDRESSES: list[tuple[Callable[[Words], bool], re.Pattern]] = [
    # 221B Baker Street; Flat 3, 12 High Road; 1600 Pennsylvania Avenue
    (lambda w: not w.lower.isdisjoint(_EN_TYPES),
     re.compile(rf"{_EN_UNIT}\b\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?,?\s+(?:{_CAPWORD}\s+){{1,3}}"
                rf"{_EN_TYPE}\b\.?{_EN_UNIT_AFTER}")),
    # 16 Kingsway, 4 Broadway, 2 Highgate: a house number and a one-word road name
    (lambda w: any(x.endswith(("way", "gate")) for x in w.lower),
     re.compile(rf"\b\d{{1,5}}[A-Za-z]?,?\s+[{_CAP}][{_LOW}]+(?:way|gate)\b")),
    # SW1A 1AA, M1 1AE, EC2R 8AH (the UK postcode grammar)
    (lambda w: bool(_INWARD_CODE.search(w.text)), re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[ABD-HJLNP-UW-Z]{2}\b")),
    # NY 10001, CA 94105-1234
    (lambda w: not w.words.isdisjoint(_US_STATES),
     re.compile(rf"\b(?:{'|'.join(sorted(_US_STATES))}),?\s+\d{{5}}(?:-\d{{4}})?\b")),
    # 12 rue de la Paix; 3 bis avenue Foch; 8, boulevard Saint-Michel
    (lambda w: not w.lower.isdisjoint(_FR_TYPES),
     re.compile(rf"\b\d{{1,4}}(?:\s?(?:bis|ter|quater)\b)?,?\s+{_FR_TYPE}\s+{_FR_LINK}{{0,3}}"
                rf"{_CAPWORD}(?:\s+{_FR_LINK}{{0,3}}{_CAPWORD}){{0,4}}")),
    # Rue de Rivoli 5, Via Roma 10, Calle Mayor 5, Rua Augusta 20: the type first, the number last
    (lambda w: not w.words.isdisjoint(_TYPE_FIRST),
     re.compile(rf"\b(?:{'|'.join(sorted(_TYPE_FIRST))})\s+{_FR_LINK}{{0,3}}{_CAPWORD}(?:\s+{_FR_LINK}{{0,3}}{_CAPWORD}){{0,4}}"
                rf",?\s+{_HOUSE}")),
    # CH-8001 Zürich, A-1010 Wien, B-1000 Bruxelles, 1012 AB Amsterdam: four-digit postcodes
    # only with what marks them, since "1500 People" or "1066 Normans" have the same shape
    (lambda w: bool(_DIGIT.search(w.text)),
     re.compile(rf"\b(?:(?:CH|A|AT|B|BE|L|LU|DK|NO|NL)-\d{{4}}|(?!19|20)\d{{4}} ?[A-Z]{{2}})\s+{_CAPWORD}")),
    # Hauptstraße 5, Musterweg 12a, Berliner Straße 12
    (lambda w: bool(_DE_STREET_WORD.search(w.lower_text)),
     re.compile(rf"\b[{_CAP}][{_LOW}-]*{_DE_SUFFIX}\s+{_HOUSE}|\b{_CAPWORD}\s+{_DE_TYPE}\s+{_HOUSE}")),
    # Am Markt 3, An der Alster 5
    (lambda w: not w.lower.isdisjoint(_DE_PREPS), re.compile(rf"\b{_DE_PREP}\s+{_CAPWORD}\s+{_HOUSE}")),
    # PO Box 123, Postfach 10 20 30, BP 45
    (lambda w: not w.lower.isdisjoint({"box", "postfach", "bp", "boîte"}),
     re.compile(r"\b(?:P\.?\s?O\.?\s?Box|Postfach|BP|Boîte postale)\s+\d+(?: \d+){0,3}\b", re.I)),
]
# 75001 Paris, 10115 Berlin, 69002 Lyon-2e: five digits and a town; not "10000 Customers".
POSTCODE_TOWN = re.compile(rf"(?<![\d.,])\b(?:[A-Z]{{1,2}}-)?\d{{5}}\s+({_CAPWORD})(?:[- ](?:sur|sous|en|le|la|am|an|im)"
                           rf"(?:[- ]{_CAPWORD})?)?")


class Words:
    """The words of one text, found once and shared by every detector's gate.

    Parameters
    ----------
    text
        The (normalised) text.
    """

    _WORD = re.compile(r"[^\W\d_]+")

    def __init__(self, text: str):
        self.text = text
        self.lower_text = text.lower()
        self.words = frozenset(self._WORD.findall(text))
        self.lower = frozenset(map(str.lower, self.words))


def address_spans(text: str, words: Words | None = None) -> list[tuple[int, int]]:
    """The spans of street addresses, postcodes and PO boxes in ``text``."""
    if not _DIGIT.search(text):
        return []
    words = words or Words(text)
    out = [m.span() for gate, pattern in ADDRESSES if gate(words) for m in pattern.finditer(text)]
    if _FIVE_DIGITS.search(text):
        # Not the not-surnames list: it holds the towns ("Paris") this pattern is for.
        out += [m.span() for m in POSTCODE_TOWN.finditer(text) if m.group(1).casefold() not in _UNITS]
    return out


_UNITS = frozenset(
    "euros euro eur dollars usd pounds gbp chf francs customers clients people calls users employees staff "
    "respondents responses tickets orders members visitors teams sales units items products visits hours "
    "minutes days weeks points steps miles kilometres kilometers emails complaints cases kunden anrufe "
    "mitarbeiter appels clients salariés".split())

# ----------------------------------------------------------------------------- names

_SURNAME = (rf"(?:(?:O['’]|Mc|Mac|D['’])?[{_CAP}][{_LOW}]+(?:[{_CAP}][{_LOW}]+)?(?:-[{_CAP}][{_LOW}]+)?"
            rf"|[{_CAP}]{{3,}}(?:-[{_CAP}]{{3,}})?)")  # DUPONT, as French forms write surnames
_PARTICLE = (r"(?:van der|van den|van de|van|von der|von|de la|de los|del|de|du|da|di|dos|das|le|la"
             r"|al|el|bin|ibn|ter|ten|zu)")
# After a given name: an optional middle initial and particle, a surname, perhaps a second one.
AFTER_GIVEN = re.compile(rf"(?:\s+[{_CAP}]\.)?(?:\s+{_PARTICLE})?\s+({_SURNAME})(?:\s+({_SURNAME}))?"
                         rf"(?![\w-])")
GIVEN_CANDIDATE = re.compile(rf"(?<![\w'’.-])[{_CAP}][{_LOW}]+(?:-[{_CAP}][{_LOW}]+)?"
                             rf"(?=\s+(?:{_PARTICLE}\s+)?[{_CAP}])")
HONORIFIC = re.compile(
    rf"(?<![\w.])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lady|Lord|Mme|Mlle|Mmes|M\.|Herr|Frau|Sr|Sra"
    rf"|Srta|Signor|Signora|Sig|Sig\.ra|Dott|Dott\.ssa|Professor|Madame|Monsieur|Mademoiselle|Maître"
    rf"|Señor|Señora|Señorita|Senhor|Senhora|Mevrouw|Meneer|Mevr|Dhr|Hr|Fr|Ing|Mag)\.?(?:\s+(?:Dr|Prof|Dott)\.?)?"  # Frau Dr. Neumann
    rf"(?:\s+[{_CAP}]\.)*(?:\s+{_PARTICLE})?\s+({_SURNAME})"
    rf"(?:\s+({_SURNAME}))?(?![\w-])")
_SENTENCE_END = ".!?:;\n\"“(«"
_HONORIFICS = frozenset("Mr Mrs Ms Miss Mx Dr Prof Sir Dame Lady Lord Mme Mlle Mmes M Herr Frau Sr Sra Srta "
                        "Signor Signora Sig Dott Professor Madame Monsieur Mademoiselle Maître Señor Señora "
                        "Señorita Senhor Senhora Mevrouw Meneer Mevr Dhr Hr Fr Ing Mag".split())


def _surname_end(m: re.Match, stop: frozenset[str]) -> int | None:
    """Where the name a match of :data:`AFTER_GIVEN` or :data:`HONORIFIC` ends, or None."""
    if m.group(1).casefold() in stop:
        return None
    if m.group(2) and m.group(2).casefold() not in stop:
        return m.end(2)
    return m.end(1)


def name_spans(text: str, words: Words | None = None) -> list[tuple[int, int]]:
    """The spans of given name + surname pairs and of honorific + name in ``text``."""
    given, ambiguous, stop, _ = _lists()
    words = words or Words(text)
    out = []
    if not words.words.isdisjoint(_HONORIFICS):
        for m in HONORIFIC.finditer(text):
            end = _surname_end(m, stop)
            if end is not None:
                out.append((m.start(), end))
    if words.words.isdisjoint(given) and words.words.isdisjoint(ambiguous):
        return out  # most comments: no given name among their words
    for m in GIVEN_CANDIDATE.finditer(text):
        word = m.group()
        if word not in given and "-" in word and all(part in given for part in word.split("-")):
            word = word.split("-")[0]  # Anne-Marie, Jean-Baptiste: compounds of listed names
        if word not in given:
            before = text[:m.start()].rstrip(" \t")
            if word not in ambiguous or not before or before[-1] in _SENTENCE_END:
                continue  # "Will Support call back?" at a sentence's start is no name
        after = AFTER_GIVEN.match(text, m.end())
        end = _surname_end(after, stop) if after else None
        if end is not None:
            out.append((m.start(), end))
    return out


# ----------------------------------------------------------------------------- known names

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
# Words of a name field that are no name alone ("Prefer not to say", "van der Berg", "N/A").
_NOT_A_NAME = frozenset(
    "the a an and or of to in on at by for with from not no yes say prefer rather would i me my you your "
    "he she it we they is are was be mr mrs ms miss dr prof sir na none null nil anonymous anon unknown "
    "test user respondent name le la les de du des et ou un une au aux en par pour sur der die das und "
    "oder von zu im am an auf ein eine van het y del da di dos e o el los las al bin ibn ter ten mc".split())


class KnownNames:
    """Names to redact as whole words, in any case, wherever they appear.

    Built once from the names of an engagement's people (an export's name
    columns, a leader hierarchy); every word of every name counts, so "Jane
    Doe" also redacts "Jane" and "doe". A word that is also an everyday word
    (``name_words.txt``: Young, Green, Grace) is redacted only where it is
    written with a capital.

    Parameters
    ----------
    names
        Full names, given names or surnames, as the engagement has them.
    """

    def __init__(self, names: Iterable[str] = ()):
        everyday = _lists()[3]
        self.words: dict[str, bool] = {}  # casefolded word -> only when capitalised
        for name in names:
            for word in _TOKEN.findall(str(name)):
                key = _key(word)
                if len(key) >= 2 and key not in _NOT_A_NAME:
                    self.words[key] = key in everyday

    def __bool__(self) -> bool:
        return bool(self.words)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The spans of the known names in ``text``."""
        if not self.words or not self.words.keys() & {_key(w) for w in _TOKEN.findall(text)}:
            return []  # the common case, decided without a loop over the words in Python
        out = []
        for m in _TOKEN.finditer(text):
            word = _POSSESSIVE.sub("", m.group())
            key = _key(word)
            if key in self.words and not (self.words[key] and word[0].islower()):
                out.append((m.start(), m.start() + len(word)))
        return out


_POSSESSIVE = re.compile(r"(?:['’]s?|-)+$")


def _key(word: str) -> str:
    """A word as :class:`KnownNames` compares it: casefolded, without a possessive 's."""
    return _POSSESSIVE.sub("", word).casefold()
