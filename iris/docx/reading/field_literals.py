"""Literal texts inside field instructions, read as value units by policy.

Field instructions (``w:instrText`` runs between a ``begin`` and a ``separate`` field
character, ``w:fldSimple/@w:instr``) are kept verbatim, but some of their arguments
are text a reader sees: the prompt of a FILLIN or ASK field and its ``\\d`` default
answer, the two result texts of an IF field, the text of a QUOTE field, the entry
(and ``\\t`` cross-reference text) of an XE index entry, the entry of a TC
table-of-contents entry, the ``\\o`` tooltip of a HYPERLINK. `Policy.field_literals`
names the field types whose literals become `UnitKind.FIELD_TEXT` units; everything
else of an instruction (keywords, switches, URLs, bookmark names, compared
expressions, identifiers such as ``\\f`` types) is never a unit.

`tokenize_instruction` reads an instruction by Word's rules (ECMA-376 Part 1, 17.16.1):
arguments are separated by spaces, an argument with spaces is quoted with ``"``, and
inside quotes ``\\"`` is a quotation mark and ``\\\\`` a backslash; any other backslash
is kept as it is (XE writes a literal colon as ``\\:``). `quote_argument` writes a
text back so that `tokenize_instruction` reads it as one argument with the same value.
A translation always replaces exactly the characters of its source argument, so the
rest of the instruction stays byte for byte.

An instruction split over several ``w:instrText`` runs is joined to be read; a
translated argument is written into the run where its source began, and its other
source characters are removed from the runs that held them (the runs stay, possibly
empty: their formatting is invisible, and the field's structure is unchanged). A field
nested in an instruction (``IF {MERGEFIELD Title} = "Dr" "Dear doctor" "Dear client"``)
stands there as one `NESTED` character: the arguments around it are read as usual, and
an argument that holds a nested field (``"Dear {MERGEFIELD Name}"``) is not a literal,
since its text is not one string (the nested field's own instruction is read on its
own). The cached results of simple fields nested in an instruction are not part of
it. The subentry separators of an XE entry (``Animals:Dogs``) are standalone tags an engine
cannot drop; a translation that brings a colon of its own would add an index level,
so the entry then keeps its source.

Unit ids are ``<part>#fld<n>.<k>``: the ``n``-th field of the part (complex and simple,
in document order of their start) and its ``k``-th literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from iris.docx.model import Policy, Unit, UnitKind
from iris.docx.opc.names import WORD_NAMESPACES, XML_SPACE, local_name, namespace_of
from iris.docx.reading.extract import Extraction, ValueEntry
from iris.docx.reading.fields import field_type
from iris.docx.text.protect import is_translatable
from iris.docx.text.tag_syntax import tag_text
from iris.docx.text.tags import escape_text, tokenize
from iris.docx.text.units import count_words

_FORMAT_SWITCHES = frozenset({"\\*", "\\@", "\\#"})
# Switches that take an argument, per field type (the others are flags).
_SWITCH_ARGUMENTS = {
    "FILLIN": frozenset({"\\d"}),
    "ASK": frozenset({"\\d"}),
    "XE": frozenset({"\\f", "\\r", "\\t", "\\y"}),
    "TC": frozenset({"\\f", "\\l"}),
    "HYPERLINK": frozenset({"\\l", "\\o", "\\t"}),
}
_OPERATORS = frozenset({"=", "<>", "<", ">", "<=", ">="})
_SEPARATOR_RE = re.compile(r"(?<!\\):")
SUBENTRY = "index-subentry"
# Stands for a field nested in an instruction: an argument holding one is not a literal.
NESTED = "\x00"


@dataclass(frozen=True)
class Token:
    """One piece of an instruction: ``kind`` is ``word`` (unquoted), ``text`` (quoted)
    or ``switch`` (``\\o``); ``value`` is what it means (quotes and escapes removed);
    ``start``/``end`` its characters in the instruction."""

    kind: Literal["word", "text", "switch"]
    value: str
    start: int
    end: int


def tokenize_instruction(instruction: str) -> list[Token] | None:
    """The tokens of a field instruction; None when a quote is never closed."""
    tokens: list[Token] = []
    index, length = 0, len(instruction)
    while index < length:
        char = instruction[index]
        if char.isspace():
            index += 1
        elif char == '"':
            token = _quoted(instruction, index)
            if token is None:
                return None
            tokens.append(token)
            index = token.end
        else:
            end = index + 1
            while end < length and not instruction[end].isspace() and instruction[end] != '"':
                end += 1
            kind: Literal["word", "switch"] = "switch" if char == "\\" else "word"
            tokens.append(Token(kind, instruction[index:end], index, end))
            index = end
    return tokens


def _quoted(instruction: str, start: int) -> Token | None:
    value: list[str] = []
    index = start + 1
    while index < len(instruction):
        char = instruction[index]
        if char == '"':
            return Token("text", "".join(value), start, index + 1)
        if char == "\\" and index + 1 < len(instruction):
            following = instruction[index + 1]
            value.append(following if following in '\\"' else char + following)
            index += 2
            continue
        value.append(char)
        index += 1
    return None


def quote_argument(text: str) -> str:
    """``text`` as one quoted argument: quotation marks escaped, backslashes doubled
    (Word's rule for paths), except the ``\\:`` of an XE literal colon."""
    escaped = re.sub(r"\\(?!:)", r"\\\\", text).replace('"', '\\"')
    return f'"{escaped}"'


def literal_arguments(instruction: str) -> list[tuple[Token, str]]:
    """The literal text arguments of an instruction with a label each (empty for an
    instruction of another type, or one that cannot be read)."""
    tokens = tokenize_instruction(instruction)
    if not tokens or tokens[0].kind != "word":
        return []
    kind = field_type(instruction)
    positional, switched = _arguments(kind, tokens[1:])
    found: list[tuple[Token, str]] = []
    if kind in ("FILLIN", "ASK"):
        first = 0 if kind == "FILLIN" else 1  # ASK names its bookmark first
        found += [(token, f"{kind} prompt") for token in positional[first : first + 1]]
        found += [(token, f"{kind} default") for name, token in switched if name == "\\d"]
    elif kind == "IF":
        found += _if_results(positional)
    elif kind == "QUOTE" and len(positional) == 1:
        found.append((positional[0], "QUOTE text"))
    elif kind in ("XE", "TC"):
        label = "index entry" if kind == "XE" else "table-of-contents entry"
        found += [(token, f"{kind} {label}") for token in positional[:1]]
        found += [(token, "XE cross-reference") for name, token in switched if name == "\\t"]
    elif kind == "HYPERLINK":
        found += [(token, "HYPERLINK tooltip") for name, token in switched if name == "\\o"]
    return [(t, label) for t, label in found if t.value.strip() and NESTED not in t.value]


def _arguments(kind: str, tokens: list[Token]) -> tuple[list[Token], list[tuple[str, Token]]]:
    """Positional arguments, and (switch, argument) pairs."""
    takes = _SWITCH_ARGUMENTS.get(kind, frozenset()) | _FORMAT_SWITCHES
    positional: list[Token] = []
    switched: list[tuple[str, Token]] = []
    pending: str | None = None
    for token in tokens:
        if token.kind == "switch":
            name = token.value.lower()
            pending = name if name in takes else None
        elif pending is not None:
            switched.append((pending, token))
            pending = None
        else:
            positional.append(token)
    return positional, switched


def _if_results(positional: list[Token]) -> list[tuple[Token, str]]:
    """``IF left op right "true" "false"``: only the result texts, and only when the
    comparison is written the way Word reads it (operator as its own argument)."""
    if len(positional) < 4 or positional[1].kind != "word":
        return []
    if positional[1].value not in _OPERATORS:
        return []
    labels = ("IF true text", "IF false text")
    return list(zip(positional[3:5], labels, strict=False))


@dataclass(eq=False)
class Instruction:
    """Where one field's instruction lives: the texts of its ``w:instrText`` elements,
    or the ``@w:instr`` of a ``w:fldSimple``; ``replacements`` maps a source argument's
    (start, end) to the argument written in its place."""

    elements: list[etree._Element | None]
    attribute: str | None = None
    source: list[str] = field(default_factory=list)
    replacements: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole source instruction."""
        return "".join(self.source)

    def replace(self, start: int, end: int, argument: str) -> None:
        """Put ``argument`` in place of the source characters ``start:end``."""
        self.replacements[(start, end)] = argument
        texts = list(self.source)
        for (a, b), new in sorted(self.replacements.items(), reverse=True):
            texts = _splice(texts, a, b, new)
        for element, text in zip(self.elements, texts, strict=True):
            if element is None:
                continue
            if self.attribute is not None:
                element.set(self.attribute, text)
                continue
            if text != text.strip():
                element.set(XML_SPACE, "preserve")
            element.text = text


def _splice(texts: list[str], start: int, end: int, new: str) -> list[str]:
    """``texts`` (pieces of one string) with characters ``start:end`` replaced by
    ``new``, written into the piece where ``start`` lies."""
    output: list[str] = []
    position = 0
    for text in texts:
        first, last = position, position + len(text)
        position = last
        if last <= start or first >= end:
            output.append(text)
            continue
        before = text[: max(0, start - first)]
        after = text[end - first :] if last > end else ""
        middle = new if first <= start < last else ""
        output.append(before + middle + after)
    return output


@dataclass(eq=False)
class FieldLiteralEntry(ValueEntry):
    """A literal argument of a field instruction (see the module docstring)."""

    instruction: Instruction = field(kw_only=True)
    token: Token = field(kw_only=True)
    separators: dict[int, str] = field(default_factory=dict, kw_only=True)

    def target_text(self, tagged: str) -> str:
        """The literal for a tagged target: tags back to the XE separators; the source
        when the target brings a separator of its own."""
        pieces: list[str] = []
        for piece in tokenize(tagged):
            if piece.id is None:
                if self.separators and _SEPARATOR_RE.search(piece.text):
                    return self.unit.plain
                pieces.append(piece.text)
            elif piece.id in self.separators:
                pieces.append(self.separators[piece.id])
        return "".join(pieces)

    def write(self, text: str) -> None:
        """Write ``text`` quoted in place of the source argument."""
        self.instruction.replace(self.token.start, self.token.end, quote_argument(text))


def extract_field_literals(extraction: Extraction, policy: Policy) -> None:
    """Add a `FieldLiteralEntry` for every literal of the field types the policy names."""
    if not policy.field_literals:
        return
    for part in extraction.story_parts:
        root = extraction.package.xml(part)
        for number, instruction in _instructions(root):
            _add_literals(extraction, part, number, instruction, policy)


def _add_literals(
    extraction: Extraction, part: str, number: int, instruction: Instruction, policy: Policy
) -> None:
    text = instruction.text
    if field_type(text) not in policy.field_literals:
        return
    short = part.rpartition("/")[2]
    for index, (token, label) in enumerate(literal_arguments(text)):
        separators = _separators(token.value) if label == "XE index entry" else {}
        unit = _literal_unit(f"{part}#fld{number}.{index}", part, f"{label} ({short})", token)
        if separators:
            unit = _with_separators(unit, token.value)
        extraction.values.append(
            FieldLiteralEntry(
                unit,
                next(e for e in instruction.elements if e is not None),
                instruction=instruction,
                token=token,
                separators=separators,
            )
        )


def _literal_unit(unit_id: str, part: str, location: str, token: Token) -> Unit:
    return Unit(
        id=unit_id,
        part=part,
        location=location,
        kind=UnitKind.FIELD_TEXT,
        source=escape_text(token.value),
        plain=token.value,
        words=count_words(token.value),
        translatable=is_translatable(token.value),
    )


def _separators(value: str) -> dict[int, str]:
    return dict.fromkeys(range(1, len(_SEPARATOR_RE.findall(value)) + 1), ":")


def _with_separators(unit: Unit, value: str) -> Unit:
    """The unit of an XE entry with its subentry separators as ``<xN/>`` tags."""
    pieces = _SEPARATOR_RE.split(value)
    tagged = escape_text(pieces[0]) + "".join(
        tag_text("standalone", number) + escape_text(piece)
        for number, piece in enumerate(pieces[1:], 1)
    )
    words = " ".join(pieces)
    return Unit(
        id=unit.id,
        part=unit.part,
        location=unit.location,
        kind=unit.kind,
        source=tagged,
        plain=value,
        words=count_words(words),
        translatable=is_translatable(words),
        tags=dict.fromkeys(range(1, len(pieces)), SUBENTRY),
    )


@dataclass
class _Open:
    number: int
    pieces: list[etree._Element | None] = field(default_factory=list)
    in_code: bool = True


def _instructions(root: etree._Element) -> Iterator[tuple[int, Instruction]]:
    """Every field instruction of a part, numbered by field start; a field nested in
    an instruction is a `NESTED` piece of it."""
    tags = [f"{{{ns}}}{local}" for ns in WORD_NAMESPACES for local in _SCANNED]
    stack: list[_Open] = []
    count = 0
    for element in root.iter(*tags):
        local = local_name(element.tag)
        coding = bool(stack) and stack[-1].in_code
        if local == "instrText":
            if coding and not _in_simple_field(element):
                stack[-1].pieces.append(element)
            continue
        opens = local == "fldSimple" or _char(element) == "begin"
        if opens and coding:
            stack[-1].pieces.append(None)
        if local == "fldSimple":
            attribute = f"{{{namespace_of(element.tag)}}}instr"
            yield count, Instruction([element], attribute, [element.get(attribute) or ""])
            count += 1
        elif opens:
            stack.append(_Open(count))
            count += 1
        elif _char(element) == "separate" and stack:
            stack[-1].in_code = False
        elif _char(element) == "end" and stack:
            done = stack.pop()
            if any(piece is not None for piece in done.pieces):
                texts = [NESTED if e is None else e.text or "" for e in done.pieces]
                yield done.number, Instruction(done.pieces, None, texts)


def _char(element: etree._Element) -> str | None:
    return element.get(f"{{{namespace_of(element.tag)}}}fldCharType")


def _in_simple_field(element: etree._Element) -> bool:
    """True for an instruction run inside a ``w:fldSimple``: the cached result of a
    simple field nested in another field's instruction, not that instruction's text."""
    parent = element.getparent()
    while parent is not None and local_name(parent.tag) != "p":
        if local_name(parent.tag) == "fldSimple":
            return True
        parent = parent.getparent()
    return False


_SCANNED = ("fldChar", "instrText", "fldSimple")
