"""Writing direction of translated runs: ``w:rtl`` only on right-to-left script.

Word lays a run out by its ``w:rtl`` property: the characters of a ``w:rtl`` run are
complex-script text (complex-script font, size and bold) and its neutral characters
(spaces, brackets, full stops) are ordered right to left. A Latin word, URL or number
inside such a run takes the wrong font and drags its punctuation to the wrong end, so
`set_run_directions` gives ``w:rtl`` to exactly the stretches of right-to-left script.

Directions come from a reduced Unicode Bidirectional Algorithm (UAX #9) over the text
of a paragraph's translated runs, read as one string (classes from
`unicodedata.bidirectional`):

* R, AL and AN (Hebrew, Arabic, Syriac, Thaana … letters, Arabic-Indic digits) and the
  extended Arabic-Indic digits of Persian and Urdu (U+06F0–U+06F9, class EN) are
  right-to-left;
* L (letters of every left-to-right script) and EN (European digits) are
  left-to-right; a single ES or CS between two digits (``1.5``, ``1,000``, ``3-4``) and
  ETs next to a digit (``50%``, ``$5``, ``#3``) belong to the number (rules W4, W5);
* NSM (combining marks) goes with the character before it;
* everything else is neutral (spaces, punctuation, symbols, tabs; an inline object such
  as a footnote reference or a picture counts as one neutral character). A stretch of
  neutrals between two stretches of the same direction takes it (N1), otherwise the
  paragraph's direction (N2). As in W7 and N1, digits count as left-to-right text
  after left-to-right letters and as right-to-left text after right-to-left ones
  (or at the start of a right-to-left paragraph).

A run whose characters all resolve to one direction gets ``w:rtl`` set or removed in
place; a mixed run is split into one run per stretch, each with the run's attributes
and a copy of its properties, so every other property is kept.

DrawingML text (text boxes, chart titles, SmartArt) is marked the same way: ECMA-376
Annex I.2 makes the run-level ``a:rPr/a:rtl`` (21.1.2.2.8) the DrawingML twin of
``w:rtl`` (17.3.2.30), with the same caveat that it should not be used on strong
left-to-right characters, and ``a:pPr/@rtl`` the twin of ``w:bidi``. `RunMarkup`
holds the few names that differ between the two (`markup_for`), so one resolution and
one splitter serve both; a DrawingML ``a:r`` holds one ``a:t``, which splitting keeps.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from lxml import etree

from iris.docx.opc.names import DrawingNames, WordNames, attributes_of, word_names, words
from iris.docx.reading.normalise import set_text
from iris.docx.writing.schema_order import RPR_ORDER, ensure_child

# Children of a DrawingML ``a:rPr`` in schema order (CT_TextCharacterProperties).
A_RPR_ORDER = words(
    "ln noFill solidFill gradFill blipFill pattFill grpFill effectLst effectDag highlight "
    "uLnTx uLn uFillTx uFill latin ea cs sym hlinkClick hlinkMouseOver rtl extLst"
)

# Letters of right-to-left scripts (Hebrew … Arabic Extended-A, presentation forms, and
# the supplementary right-to-left blocks): a cheap test before any per-character work.
RTL_SCRIPT_RE = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)

# Characters that cannot be strong left-to-right or a European digit: right-to-left
# letters, spaces, ASCII and general punctuation. A right-to-left paragraph made only of
# them is right-to-left throughout, without the per-character resolution.
_ONLY_RTL_RE = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\\s!-/:-@\\[-`{-~\u00a0\u00ab\u00bb"
    "\u2000-\u200d\u2010-\u205e\ufffc]*"
)

_R, _L, _EN, _SEP, _ET, _NSM, _N = range(7)
_KINDS = {"R": _R, "AL": _R, "AN": _R, "L": _L, "EN": _EN, "ES": _SEP, "CS": _SEP}
_KINDS.update({"ET": _ET, "NSM": _NSM})
_PERSIAN_DIGITS = frozenset("۰۱۲۳۴۵۶۷۸۹")
_OBJECT = "\ufffc"  # stands for an inline element that is not text (class ON)
_kind_cache: dict[str, int] = {}


def _kind(char: str) -> int:
    found = _kind_cache.get(char)
    if found is None:
        found = _R if char in _PERSIAN_DIGITS else _KINDS.get(unicodedata.bidirectional(char), _N)
        _kind_cache[char] = found
    return found


def resolve_directions(text: str, rtl_paragraph: bool) -> list[bool]:
    """For each character of ``text``, True when it belongs in a right-to-left run."""
    kinds = [_kind(char) for char in text]
    _weak_types(kinds)
    embedding = _R if rtl_paragraph else _L
    influence = _influences(kinds, embedding)
    directions = [kind == _R for kind in kinds]
    index, size = 0, len(kinds)
    while index < size:
        if influence[index] is not None:
            index += 1
            continue
        end = index
        while end < size and influence[end] is None:
            end += 1
        before = influence[index - 1] if index else embedding
        after = influence[end] if end < size else embedding
        rtl = (before if before == after else embedding) == _R
        directions[index:end] = [rtl] * (end - index)
        index = end
    return directions


def _weak_types(kinds: list[int]) -> None:
    """Combining marks, separators inside numbers and terminators next to them (W1-W5)."""
    size = len(kinds)
    for index in range(size):
        if kinds[index] == _NSM:
            kinds[index] = kinds[index - 1] if index else _N
    for index in range(1, size - 1):
        if kinds[index] == _SEP and kinds[index - 1] == _EN and kinds[index + 1] == _EN:
            kinds[index] = _EN
    index = 0
    while index < size:
        if kinds[index] != _ET:
            index += 1
            continue
        end = index
        while end < size and kinds[end] == _ET:
            end += 1
        touches = (index and kinds[index - 1] == _EN) or (end < size and kinds[end] == _EN)
        kinds[index:end] = [_EN if touches else _N] * (end - index)
        index = end
    for index in range(size):
        if kinds[index] == _SEP:
            kinds[index] = _N


def _influences(kinds: list[int], embedding: int) -> list[int | None]:
    """The direction each character gives neighbouring neutrals (None: a neutral)."""
    last_strong = embedding
    out: list[int | None] = []
    for kind in kinds:
        if kind in (_R, _L):
            last_strong = kind
            out.append(kind)
        elif kind == _EN:
            out.append(_L if last_strong == _L else _R)
        else:
            out.append(None)
    return out


@dataclass(frozen=True, slots=True)
class RunMarkup:
    """The names direction marking reads and writes in one markup language."""

    rpr: str  # the run properties, first child of a run
    t: str  # a text element
    rtl: str  # the right-to-left run property (an on/off element)
    val: str  # the attribute of ``rtl`` that can turn it off
    order: tuple[str, ...]  # schema order of the children of ``rpr``
    characters: Mapping[str, str]  # other children standing for a character
    set_text: Callable[[etree._Element, str], None]  # fills a new text element


def _plain_text(t: etree._Element, text: str) -> None:
    """DrawingML ``a:t`` is a plain string element: no ``xml:space`` attribute."""
    t.text = text


@cache
def _word_markup(ns: str) -> RunMarkup:
    names = word_names(ns)
    characters = {names.tab: "\t", names.noBreakHyphen: "\u2011"}
    return RunMarkup(names.rPr, names.t, names.rtl, names.q("val"), RPR_ORDER, characters, set_text)


@cache
def _drawing_markup(ns: str) -> RunMarkup:
    q = f"{{{ns}}}".__add__
    return RunMarkup(q("rPr"), q("t"), q("rtl"), "val", A_RPR_ORDER, {}, _plain_text)


def markup_for(names: WordNames | DrawingNames | RunMarkup) -> RunMarkup:
    """The `RunMarkup` of WordprocessingML or DrawingML names (a markup stays itself)."""
    if isinstance(names, RunMarkup):
        return names
    if isinstance(names, DrawingNames):
        return _drawing_markup(names.ns)
    return _word_markup(names.ns)


def set_run_directions(
    runs: Sequence[etree._Element], names: WordNames | DrawingNames, *, rtl_paragraph: bool
) -> None:
    """Mark the right-to-left stretches of ``runs`` (one paragraph's text runs, ``w:r``
    or ``a:r``) with ``w:rtl``/``a:rtl`` and unmark the others.

    Runs are split where the direction changes; see the module docstring.
    """
    markup = markup_for(names)
    contents = [_run_content(run, markup) for run in runs]
    text = "".join(piece for content in contents for _, piece in content)
    if rtl_paragraph and _ONLY_RTL_RE.fullmatch(text):
        for run in runs:
            set_rtl(run_properties(run, markup), markup, on=True)
        return
    directions = resolve_directions(text, rtl_paragraph)
    offset = 0
    for run, content in zip(runs, contents, strict=True):
        length = sum(len(piece) for _, piece in content)
        flags = directions[offset : offset + length]
        offset += length
        if not flags:
            continue
        if all(flags) or not any(flags):
            set_rtl(run_properties(run, markup), markup, on=flags[0])
            continue
        _split_run(run, content, flags, markup)


def _run_content(run: etree._Element, markup: RunMarkup) -> list[tuple[etree._Element, str]]:
    """The run's children but its properties, each with the text it stands for."""
    content = []
    for child in run:
        if child.tag == markup.rpr or not isinstance(child.tag, str):
            continue
        if child.tag == markup.t:
            content.append((child, child.text or ""))
        else:
            content.append((child, markup.characters.get(child.tag, _OBJECT)))
    return content


def run_properties(
    run: etree._Element, names: WordNames | DrawingNames | RunMarkup
) -> etree._Element:
    """The run's ``w:rPr`` (``a:rPr``), made as its first child when it has none."""
    tag = markup_for(names).rpr
    if len(run) and run[0].tag == tag:
        return run[0]
    rpr = run.makeelement(tag, {})
    run.insert(0, rpr)
    return rpr


def set_rtl(rpr: etree._Element, names: WordNames | DrawingNames | RunMarkup, *, on: bool) -> None:
    """Set (``on``) or remove ``w:rtl`` (``a:rtl``) in run properties; an off value
    counts as absent."""
    markup = markup_for(names)
    if on:
        element = ensure_child(rpr, markup.rtl, markup.order)
        element.attrib.pop(markup.val, "")
        return
    for element in rpr.findall(markup.rtl):
        rpr.remove(element)


def _split_run(
    run: etree._Element,
    content: list[tuple[etree._Element, str]],
    flags: list[bool],
    markup: RunMarkup,
) -> None:
    groups: list[tuple[bool, list[etree._Element]]] = []
    position = 0
    for child, piece in content:
        if not piece:  # an empty w:t goes with what precedes it
            _group(groups, groups[-1][0] if groups else flags[0]).append(child)
            continue
        stretches = _stretches(flags[position : position + len(piece)])
        position += len(piece)
        if len(stretches) == 1 or child.tag != markup.t:
            _group(groups, stretches[0][0]).append(child)
            continue
        for rtl, start, end in stretches:
            t = child.makeelement(markup.t, {})
            markup.set_text(t, piece[start:end])
            _group(groups, rtl).append(t)
    template = run_properties(run, markup)
    anchor = run
    for rtl, children in groups:
        twin = run.makeelement(run.tag, attributes_of(run))
        rpr = copy.copy(template)
        set_rtl(rpr, markup, on=rtl)
        twin.append(rpr)
        for child in children:
            twin.append(child)
        anchor.addnext(twin)
        anchor = twin
    parent = run.getparent()
    if parent is not None:
        parent.remove(run)


def _group(groups: list[tuple[bool, list[etree._Element]]], rtl: bool) -> list[etree._Element]:
    if not groups or groups[-1][0] != rtl:
        groups.append((rtl, []))
    return groups[-1][1]


def _stretches(flags: list[bool]) -> list[tuple[bool, int, int]]:
    """Maximal stretches of equal flags as (flag, start, end)."""
    out: list[tuple[bool, int, int]] = []
    start = 0
    for index in range(1, len(flags) + 1):
        if index == len(flags) or flags[index] != flags[start]:
            out.append((flags[start], start, index))
            start = index
    return out
