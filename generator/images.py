"""Logo checks: a client's logo is published as it is, so it must be only an image.

An SVG is a document that can carry scripts, event handlers and references
to other files; opened on its own from the site (``…/logo.svg``), a browser
runs them with the site's origin. So an SVG logo is parsed (safely: no DTD,
no entities, nothing fetched) and refused if it holds anything that can run
code or load something from elsewhere. A raster logo must be what its name
says: a page names it by its extension, and a file whose bytes are of
another kind would be served, and sniffed, as something else.
"""

from __future__ import annotations

import io
import re
import xml.sax
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from .errors import ErrorCollector, Location
from .places import line_col

ADVICE = "export the logo as a plain SVG without scripts, or as PNG"
MAX_LISTED = 10  # problems listed in the SVG itself; a broken export can have hundreds

_JPEG = (b"\xff\xd8\xff",)
_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": _JPEG, ".jpeg": _JPEG, ".webp": (b"RIFF",)}
_KIND = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP", ".svg": "SVG"}
_A = {".png": "a PNG", ".jpg": "a JPEG", ".jpeg": "a JPEG", ".webp": "a WebP", ".svg": "an SVG"}

# Elements that run code, embed HTML or another document, or listen for events.
_SCRIPT_ELEMENTS = {"script", "handler", "listener"}
_EMBED_ELEMENTS = {"foreignobject", "iframe", "embed", "object", "audio", "video"}
_ANIMATIONS = {"set", "animate", "animatetransform", "animatemotion"}
_XHTML = "http://www.w3.org/1999/xhtml"
# CSS that fetches: url() not to a #fragment, @import, and the functions that take a bare URL.
_CSS_URL = re.compile(r"url\(\s*(['\"]?)\s*([^'\")]*)", re.IGNORECASE)
_CSS_FETCH = re.compile(r"@import|(?<![\w-])(?:-webkit-)?(?:image-set|image|src|cross-fade|element)\(|"
                        r"expression\(|-moz-binding|behavior\s*:", re.IGNORECASE)
_SCHEME = re.compile(r"(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20]+")


@dataclass(frozen=True)
class Problem:
    line: int
    col: int
    message: str


def check_logo(path: Path, where: Location, display: str, errors: ErrorCollector) -> bool:
    """Whether the logo at ``path`` may be published; if not, its problems are added to ``errors``.

    Parameters
    ----------
    path : Path
        The logo file (its size was checked already).
    where : Location
        ``brand.logo`` in engagement.yml: every refusal is reported there.
    display : str
        The logo's path as messages show it, for problems located in the SVG itself.
    errors : ErrorCollector
        Where the problems go.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        errors.add(where, f"logo '{path.name}' cannot be read ({exc.strerror}); check the file")
        return False
    suffix = path.suffix.lower()
    holds = _raster_kind(data)
    if suffix == ".svg" and holds is None:
        return _report_svg(path, svg_problems(data), where, display, errors)
    message = raster_problem(data, path.name)
    if message:
        errors.add(where, f"logo '{path.name}' {message}")
        return False
    return True


def _report_svg(path: Path, problems: list[Problem], where: Location, display: str,
                errors: ErrorCollector) -> bool:
    if not problems:
        return True
    first = problems[0]
    more = f", and {len(problems) - 1} more" if len(problems) > 1 else ""
    errors.add(where, f"logo '{path.name}' cannot be published: {first.message} "
                      f"({display}:{first.line}:{first.col}{more}); {ADVICE}")
    for p in problems[:MAX_LISTED]:
        errors.add(Location(display, p.line, p.col), f"{p.message}; {ADVICE}")
    return False


def raster_problem(data: bytes, name: str) -> str | None:
    """What is wrong with an image file named ``name``, judged by its first bytes, or None."""
    suffix = Path(name).suffix.lower()
    actual = _raster_kind(data)
    if actual == suffix or (actual == ".jpg" and suffix == ".jpeg"):
        return None
    if actual is None and (data.lstrip()[:5] == b"<?xml" or b"<svg" in data[:1024]):
        actual = ".svg"
    if actual:
        return (f"is named {suffix} but holds {_A[actual]} image; rename it to "
                f"'{Path(name).with_suffix(actual)}' (or export it as {_KIND[suffix]})")
    return f"is not {_A[suffix]} image (its first bytes are of no image format); export the logo as PNG"


def _raster_kind(data: bytes) -> str | None:
    """The extension of the raster format ``data`` starts like, or None."""
    return next((s for s in (".png", ".jpg", ".webp") if _matches(data, s)), None)


def _matches(data: bytes, suffix: str) -> bool:
    if not data.startswith(_MAGIC[suffix]):
        return False
    # WebP is a RIFF container: bytes 8-11 say which kind (RIFF also holds WAV and AVI).
    return suffix != ".webp" or data[8:12] == b"WEBP"


def svg_problems(data: bytes) -> list[Problem]:
    """Everything in an SVG that can run code or load from elsewhere, located; empty if clean."""
    inspector = _SvgInspector()
    parser = make_parser()
    # No DTD at all: it is where entities (and so entity bombs and external
    # entities) are declared, and no plain logo needs one.
    parser.forbid_dtd = True
    parser.forbid_entities = True
    parser.forbid_external = True
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(inspector)
    try:
        parser.parse(io.BytesIO(data))
    except xml.sax.SAXParseException as exc:
        inspector.problems.append(Problem(exc.getLineNumber() or 1, (exc.getColumnNumber() or 0) + 1,
                                          f"not well-formed XML ({exc.getMessage()})"))
    except DefusedXmlException:
        line, col = _position_of(data, (b"<!DOCTYPE", b"<!ENTITY")) or inspector.here()
        inspector.problems.append(Problem(line, col, "a <!DOCTYPE> or <!ENTITY> declaration, which "
                                                     "can expand to gigabytes or read other files"))
    except (ValueError, LookupError) as exc:  # an unknown or broken encoding declaration
        inspector.problems.append(Problem(1, 1, f"cannot be read as XML ({exc})"))
    if not inspector.problems and not inspector.seen_root:
        inspector.problems.append(Problem(1, 1, "is not an SVG image (no <svg> element)"))
    return inspector.problems


def _position_of(data: bytes, needles: tuple[bytes, ...]) -> tuple[int, int] | None:
    """Line and column (1-based) of the first of ``needles`` in ``data``, if any.

    The parser stops inside a declaration it refuses; the declaration's own
    start is the place to show.
    """
    upper = data.upper()
    found = [i for i in (upper.find(n) for n in needles) if i >= 0]
    if not found:
        return None
    return line_col(data, min(found))


class _SvgInspector(xml.sax.handler.ContentHandler):
    """Collects the located problems of an SVG while SAX reads it."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[Problem] = []
        self.locator = None
        self.seen_root = False
        self.style: list[str] | None = None  # text of the <style> element being read
        self.style_at = (1, 1)

    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    def here(self) -> tuple[int, int]:
        if self.locator is None:
            return 1, 1
        # SAX columns are 0-based; messages count from 1.
        return self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1

    def add(self, message: str, at: tuple[int, int] | None = None) -> None:
        line, col = at or self.here()
        self.problems.append(Problem(line, col, message))

    def processingInstruction(self, target, data) -> None:
        self.add(f"a processing instruction <?{target} …?>, which can load a stylesheet from elsewhere")

    def startElementNS(self, name, qname, attrs) -> None:
        uri, local = name
        tag = (local or "").lower()
        if not self.seen_root:
            self.seen_root = True
            if tag != "svg":
                self.add(f"is not an SVG image (its root element is <{qname or local}>, not <svg>)")
        if tag in _SCRIPT_ELEMENTS:
            self.add(f"{_an(local)} <{local}> element, which runs code")
        elif tag in _EMBED_ELEMENTS:
            self.add(f"{_an(local)} <{local}> element, which embeds HTML or another document")
        elif uri == _XHTML:
            self.add(f"an HTML element <{local}> inside the SVG")
        if tag in _ANIMATIONS:
            target = (attrs.get((None, "attributeName")) or "").strip().lower()
            if target.split(":")[-1] == "href" or target.startswith("on"):
                self.add(f"{_an(local)} <{local}> element that changes '{target}', which can turn a link into code")
        for (_, attr), value in attrs.items():
            self._check_attribute(attr, value)
        if tag == "style":
            self.style, self.style_at = [], self.here()

    def _check_attribute(self, attr: str, value: str) -> None:
        name = attr.lower()
        if name.startswith("on"):
            self.add(f"an event handler attribute '{attr}', which runs code")
        elif name in ("href", "src") and not value.strip().startswith("#"):
            self.add(f"'{attr}' refers to '{_short(value)}' outside the image; "
                     "only '#id' references within the logo are allowed")
        elif _SCHEME.search(_INVISIBLE.sub("", value)):
            self.add(f"attribute '{attr}' holds a script or data URL")
        if name == "style":
            self._check_css(value, self.here())

    def characters(self, content) -> None:
        if self.style is not None:
            self.style.append(content)

    def endElementNS(self, name, qname) -> None:
        if self.style is not None and (name[1] or "").lower() == "style":
            self._check_css("".join(self.style), self.style_at)
            self.style = None

    def _check_css(self, css: str, at: tuple[int, int]) -> None:
        if "\\" in css:
            # An escape can spell url( or @import in a way no pattern here sees.
            self.add("CSS with backslash escapes, which can hide a reference to another file", at)
        if _CSS_FETCH.search(css):
            self.add(f"CSS that loads from elsewhere ('{_short(_CSS_FETCH.search(css).group(0))}')", at)
        for match in _CSS_URL.finditer(css):
            if not match.group(2).strip().startswith("#"):
                self.add(f"CSS url({_short(match.group(2))}) outside the image; "
                         "only url(#id) references within the logo are allowed", at)


def _an(word: str) -> str:
    return "an" if word[:1].lower() in "aeio" else "a"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
