"""An independent ruler for "no source text left": printed letters that did not change.

The extractor decides what is worth translating (`iris.docx.text.protect.is_translatable`,
which story parts and notes it reads, which field results it keeps). A check that
re-extracted the output with the same rules would share every wrong decision and pass
it silently. This module reads the printed text of both packages by itself and shares
only one format definition with the extractor: the XML namespaces. What must stay
verbatim whatever the language (URLs, e-mail addresses, placeholders) it finds by its
own, narrower rule (`_VERBATIM_RE`): a URL or an address of ASCII characters only, so
that text the extractor wrongly took into a URL (Han written straight after one, say)
is still read as text.

Printed text is the text of runs, grouped by paragraph in document order per part:
``w:t`` of WordprocessingML (body, headers, footers, notes of every type, comments,
glossary), ``a:t`` of DrawingML (shapes, charts, SmartArt) and each ``c:v`` of a chart
on its own. A *stretch* is a maximal run of letters (Unicode ``L*``) with their
combining marks (``M*``); it counts when it has two letters or more, or one Han, Kana
or Hangul character (one is a word there). A stretch of a source paragraph that lies
outside its protected spans and is found, whole, among the stretches of the paragraph
at the same place of the same part in the output is *left*, unless it belongs to an
identifier: a token of capitals and digits such as ``ABC-123``.

Not read, because a reader never sees it as live text or because Word writes it
anew: field instructions (``w:instrText``, ``@w:instr``, and any text inside a field
code), the results of `COMPUTED_FIELDS` (dates, page numbers, citations…), deleted and
moved-away revisions (``w:del``, ``w:moveFrom``), equations (``m:t``, language-neutral
notation), hidden runs when the policy keeps hidden text, comments when the policy
leaves them out, and what the policy excludes by style: paragraphs in an excluded
paragraph style (with the paragraphs nested in them) and runs in an excluded character
style (`iris.docx.reading.style_exclusion`: which styles those are is the user's choice, not a
judgement of the extractor). Document properties and alt text are metadata, not
printed text, and are outside this ruler.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from iris.docx.model import Policy
from iris.docx.opc.names import A_NS, A_STRICT_NS, C_NS, C_STRICT_NS, V_NS, WORD_NAMESPACES, words
from iris.docx.reading.style_exclusion import ExcludedStyles, styles_excluded_by

# Planes 0-3 and 14 (planes 4-13 hold no assigned character, 15-16 are private use).
_PLANES = (range(0x40000), range(0xE0000, 0xE1000))


@functools.cache
def _stretch_pattern() -> re.Pattern[str]:
    """A letter stretch: a letter, then letters and combining marks (one maximal
    stretch per match). Built on first use from `unicodedata`: Python's `re` has no
    ``\\p{M}``, and a table in this module would go stale."""
    ranges: list[tuple[int, int]] = []
    for plane in _PLANES:
        for point in plane:
            if unicodedata.category(chr(point))[0] == "M":
                if ranges and ranges[-1][1] == point - 1:
                    ranges[-1] = (ranges[-1][0], point)
                else:
                    ranges.append((point, point))
    marks = "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)
    return re.compile(f"[^\\W\\d_]++(?:[{marks}]++[^\\W\\d_]*+)*+")


#: Text that stays verbatim in every language, by this ruler's own rule (not the
#: extractor's): a URL or an e-mail address made of printable ASCII with no space or
#: quote, and template placeholders in braces.
_VERBATIM_RE = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!#-&(-;=?-~]+"
    r"|[!#-&(-;=?-~]+@[!#-&(-;=?-~]+"
    r"|\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\$\{[^{}]*\}|%\([^()\s]*\)|\{[^{}\s]*\}"
)


# Unicode character names, so that this ruler shares no code-point table with protect.py.
_IDEOGRAPHIC_NAMES: tuple[str, ...] = (
    "CJK ",
    "HIRAGANA",
    "KATAKANA",
    "HALFWIDTH KATAKANA",
    "HANGUL",
    "HALFWIDTH HANGUL",
    "BOPOMOFO",
)
_OFF = frozenset({"0", "false", "off"})


@dataclass(frozen=True)
class Leftover:
    """A stretch of source letters found unchanged in the output."""

    part: str
    paragraph: int
    text: str

    def __str__(self) -> str:
        return f"{self.part} ¶{self.paragraph + 1}: {self.text}"


def find_leftovers(source: bytes, output: bytes, policy: Policy | None = None) -> list[Leftover]:
    """Stretches of printed source letters left unchanged in ``output`` (see module)."""
    chosen = policy or Policy()
    before, after = _printed(source, chosen), _printed(output, chosen)
    found: list[Leftover] = []
    for part, paragraphs in before.items():
        translated = after.get(part, [])
        for index, text in enumerate(paragraphs):
            if index < len(translated):
                found += [Leftover(part, index, s) for s in _left(text, translated[index])]
    return found


def _left(source: str, output: str) -> list[str]:
    if not source.strip():
        return []
    findall = _stretch_pattern().findall
    if set(findall(source)).isdisjoint(findall(output)):
        return []  # no stretch on both sides (a translated paragraph): nothing is left
    # Verbatim text is blanked on both sides: a word of the source that was translated
    # must not be matched by the same word inside a URL of the output, and a word
    # written straight against a URL is a word of its own.
    source, output = _blanked(source), _blanked(output)
    present = set(findall(output))
    left = []
    for start, end in letter_stretches(source):
        stretch = source[start:end]
        if stretch in present and _counts(stretch) and not _in_identifier(source, start, end):
            left.append(stretch)
    return list(dict.fromkeys(left))


def _blanked(text: str) -> str:
    """``text`` with its verbatim spans (`_VERBATIM_RE`) replaced by spaces."""
    if not ("/" in text or "@" in text or "{" in text or "%" in text or "www." in text):
        return text
    return _VERBATIM_RE.sub(lambda match: " " * len(match.group()), text)


def letter_stretches(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each maximal run of letters and their combining marks (it
    starts at a letter: marks before the first letter are not part of it)."""
    for match in _stretch_pattern().finditer(text):
        yield match.span()


def _counts(stretch: str) -> bool:
    if stretch.isalpha():  # letters only (most text)
        if len(stretch) != 1:
            return True
        letter = stretch
    else:
        letters = [character for character in stretch if character.isalpha()]
        if len(letters) != 1:
            return len(letters) > 1
        letter = letters[0]
    return unicodedata.name(letter, "").startswith(_IDEOGRAPHIC_NAMES)


def _in_identifier(text: str, start: int, end: int) -> bool:
    """The stretch is part of a token of capitals and digits (``ABC-123``, ``MP3``,
    ``ISO-9001``): a part number or a standard reads the same in every language.
    Letters without case (Han, Arabic…) are never capitals, so ``限100字`` is words."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    token = text[start:end]
    letters = [character for character in token if character.isalpha()]
    return any(c.isdecimal() for c in token) and all(c.isupper() for c in letters)


def _printed(data: bytes, policy: Policy) -> dict[str, list[str]]:
    """Printed text of every XML part, one string per paragraph, by part name."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    printed: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.endswith(".xml")]
        names = [n for n in names if n != "[Content_Types].xml"]
        parts = (etree.fromstring(archive.read(name), parser) for name in names)
        excluded = _excluded_styles(parts, policy) if policy.excluded_styles else None
        for name in names:
            root = etree.fromstring(archive.read(name), parser)
            if _left_out(root, policy):
                continue
            paragraphs = _TextReader(policy, excluded or ExcludedStyles()).read(root)
            if policy.watermarks:  # printed across the page, held in an attribute
                paragraphs += [path.get("string", "") for path in root.iter(_TEXTPATH)]
            if paragraphs:
                printed[name] = paragraphs
    return printed


def _excluded_styles(roots: Iterator[etree._Element], policy: Policy) -> ExcludedStyles:
    """The excluded styles of the package's styles part (parts are parsed one by one)."""
    for root in roots:
        namespace, _, local = str(root.tag).lstrip("{").partition("}")
        if local == "styles" and namespace in WORD_NAMESPACES:
            return styles_excluded_by(root, policy)
    return ExcludedStyles()


def _left_out(root: etree._Element, policy: Policy) -> bool:
    namespace, _, local = str(root.tag).lstrip("{").partition("}")
    return local == "comments" and namespace in WORD_NAMESPACES and not policy.comments


def _names(namespaces: tuple[str, ...], locals_: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{local}" for ns in namespaces for local in locals_.split())


_DRAWING = (A_NS, A_STRICT_NS)
_TEXTPATH = f"{{{V_NS}}}textpath"
_PARAGRAPHS = _names(WORD_NAMESPACES + _DRAWING, "p")
_TEXTS = _names(WORD_NAMESPACES + _DRAWING, "t")
_BREAKS = _names(WORD_NAMESPACES, "tab br cr ptab") | _names(_DRAWING, "br")
_VALUES = _names((C_NS, C_STRICT_NS), "v")
_NOT_LIVE = _names(WORD_NAMESPACES, "del moveFrom")
_FIELD_CHARS = _names(WORD_NAMESPACES, "fldChar")
_INSTRUCTIONS = _names(WORD_NAMESPACES, "instrText")
_SIMPLE_FIELDS = _names(WORD_NAMESPACES, "fldSimple")
_FIELD_PARTS = _FIELD_CHARS | _INSTRUCTIONS | _SIMPLE_FIELDS
_WALKED = tuple(_PARAGRAPHS | _TEXTS | _BREAKS | _VALUES | _NOT_LIVE | _FIELD_PARTS)
# Fields whose result Word or a reference manager writes from outside the text, again
# on every update: dates and times, page and sequence numbers, file and document
# statistics, author and user names, merge data, formulas, citations and bibliographies.
# The source text of any other field's result (TOC entries, REF, DOCPROPERTY…) lives
# elsewhere in the document, yet the copy is printed and read like any text.
COMPUTED_FIELDS = frozenset(
    words(
        "DATE TIME SAVEDATE CREATEDATE PRINTDATE EDITTIME PAGE NUMPAGES SECTIONPAGES SECTION "
        "PAGEREF NOTEREF SEQ LISTNUM AUTONUM AUTONUMLGL AUTONUMOUT REVNUM NUMWORDS NUMCHARS "
        "FILESIZE FILENAME TEMPLATE AUTHOR LASTSAVEDBY USERNAME USERINITIALS USERADDRESS "
        "MERGEFIELD MERGEREC MERGESEQ = EQ BARCODE DISPLAYBARCODE CITATION BIBLIOGRAPHY ADDIN"
    )
)


@dataclass
class _Field:
    code: list[str]
    in_result: bool = False

    @property
    def computed(self) -> bool:
        words = "".join(self.code).split()
        keyword = "=" if words and words[0].startswith("=") else (words or [""])[0].upper()
        return keyword in COMPUTED_FIELDS


class _TextReader:
    """One pass over a part: paragraphs in order of their start, nested ones apart.

    Fields are followed across paragraphs: text inside a field code (a nested field's
    result there included) is not printed, nor is read the result of a computed field.
    """

    def __init__(self, policy: Policy, excluded: ExcludedStyles) -> None:
        self.policy = policy
        self.excluded = excluded
        self.paragraphs: list[list[str]] = []
        self.open: list[list[str]] = []
        self.skipped: list[bool] = []  # per open paragraph: in an excluded style
        self.dead = 0  # depth inside deleted or moved-away revisions
        self.fields: list[_Field] = []
        self.muted = 0  # open fields in their code, or in a computed result

    def read(self, root: etree._Element) -> list[str]:
        for event, element in etree.iterwalk(root, events=("start", "end"), tag=_WALKED):
            if event == "start":
                self._start(element)
            elif element.tag in _PARAGRAPHS:
                self.open.pop()
                self.skipped.pop()
            elif element.tag in _NOT_LIVE:
                self.dead -= 1
            elif element.tag in _SIMPLE_FIELDS:
                self._close_field()
        return ["".join(pieces) for pieces in self.paragraphs]

    def _start(self, element: etree._Element) -> None:
        tag = element.tag
        if tag in _PARAGRAPHS:
            self.open.append([])
            self.paragraphs.append(self.open[-1])
            inside = bool(self.skipped) and self.skipped[-1]
            self.skipped.append(inside or self._styled(element, "pPr", "pStyle", "paragraph"))
        elif tag in _NOT_LIVE:
            self.dead += 1
        elif tag in _VALUES:
            self.paragraphs.append([element.text or ""])
        elif tag in _FIELD_PARTS:
            self._field_event(element)
        elif self.open and self._is_read(element):
            self.open[-1].append(element.text or "" if tag in _TEXTS else " ")

    def _field_event(self, element: etree._Element) -> None:
        if self.dead:
            return
        tag = element.tag
        if tag in _SIMPLE_FIELDS:
            code = element.get(f"{{{etree.QName(element).namespace}}}instr", "")
            self.fields.append(_Field([code], in_result=True))
            self.muted += self.fields[-1].computed
            return
        if tag in _INSTRUCTIONS:
            if self.fields:
                self.fields[-1].code.append(element.text or "")
            return
        kind = element.get(f"{{{etree.QName(element).namespace}}}fldCharType")
        if kind == "begin":
            self.fields.append(_Field([]))
            self.muted += 1
        elif kind == "separate" and self.fields and not self.fields[-1].in_result:
            self.fields[-1].in_result = True
            self.muted -= not self.fields[-1].computed
        elif kind == "end":
            self._close_field()

    def _close_field(self) -> None:
        if self.fields:
            field = self.fields.pop()
            self.muted -= not field.in_result or field.computed

    def _is_read(self, element: etree._Element) -> bool:
        """A text or break that is read: live, not hidden, not in an excluded style."""
        if self.dead or self.muted or self._hidden(element) or self.skipped[-1]:
            return False
        return not self._styled_run(element)

    def _styled_run(self, element: etree._Element) -> bool:
        run = element.getparent()
        return run is not None and self._styled(run, "rPr", "rStyle", "character")

    def _styled(self, element: etree._Element, holder: str, local: str, kind: str) -> bool:
        """``element`` (a paragraph or run) has a style the policy excludes."""
        excluded = self.excluded.paragraph if kind == "paragraph" else self.excluded.character
        if not excluded:
            return False
        ns = etree.QName(element).namespace
        style = element.find(f"{{{ns}}}{holder}/{{{ns}}}{local}")
        return style is not None and style.get(f"{{{ns}}}val") in excluded

    def _hidden(self, element: etree._Element) -> bool:
        """A run with direct ``w:vanish`` when the policy leaves hidden text alone."""
        if self.policy.hidden:
            return False
        run = element.getparent()
        properties = run.find(f"{{{etree.QName(run).namespace}}}rPr") if run is not None else None
        vanish = None
        if properties is not None:
            vanish = properties.find(f"{{{etree.QName(properties).namespace}}}vanish")
        if vanish is None:
            return False
        value = vanish.get(f"{{{etree.QName(vanish).namespace}}}val", "true")
        return value.lower() not in _OFF
