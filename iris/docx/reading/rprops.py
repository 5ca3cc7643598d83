"""Run properties: canonical form, comparison keys and human descriptions of differences.

Two runs have "equal properties" when their canonical ``w:rPr`` (or DrawingML
``a:rPr``) are equal: rsid attributes are dropped, a toggle's ``@w:val`` of
``1``/``true``/``on`` is the same as no ``@w:val``, attribute order is irrelevant.
`canonicalise_rpr` rewrites an ``rPr`` into that form in place, so that equal keys also
mean equal canonical XML.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from lxml import etree

from iris.docx.opc.names import WORD_NAMESPACES, local_name, words

RPrKey = object  # bytes (see `rpr_key`)

TOGGLES = frozenset(
    words(
        "b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
        "snapToGrid vanish webHidden rtl cs specVanish oMath"
    )
)
_TRUE_VALUES = frozenset({"1", "true", "on"})
_OFF_VALUES = frozenset({"0", "false", "off"})
_NOISE_ATTRIBUTES = frozenset({"dirty", "err", "smtClean", "smtId"})

EMPTY_KEY: RPrKey = b""

# Properties that `iris.docx.writing.typography` sets on translated runs; `typography_blind`
# leaves them out of comparison keys so a fidelity check does not see them as spans.
_TYPOGRAPHY_CHILDREN = frozenset({"lang", "rtl", "cs", "bCs", "iCs", "szCs", "ea"})
_TYPOGRAPHY_ATTRIBUTES = frozenset({"lang", "altLang", "eastAsia", "eastAsiaTheme", "hint"})
_TOGGLE_TAGS = frozenset(f"{{{ns}}}{local}" for ns in WORD_NAMESPACES for local in TOGGLES)


class _BlindKeys:
    """The keys `rpr_key` gives inside one `typography_blind` context.

    Properties that are equal once typography is ignored get one key: the serialisation
    of the first such rPr seen. Bytes hash once and compare fast (grouping runs does
    both for every piece of text), unlike the nested tuples of `_blind_key`, which is
    worked out once per distinct serialisation.
    """

    def __init__(self) -> None:
        self._by_serialisation: dict[bytes, RPrKey] = {}
        self._by_properties: dict[tuple[object, ...], RPrKey] = {}

    def key(self, rpr: etree._Element, serialised: bytes) -> RPrKey:
        found = self._by_serialisation.get(serialised)
        if found is None:
            properties = _blind_key(rpr)
            if properties[1:] == ((), ()):
                found = EMPTY_KEY
            else:
                found = self._by_properties.setdefault(properties, serialised)
            self._by_serialisation[serialised] = found
        return found


_BLIND: ContextVar[_BlindKeys | None] = ContextVar("typography_blind", default=None)


@contextmanager
def typography_blind() -> Iterator[None]:
    """Within this context, `rpr_key` ignores the properties typography sets."""
    token = _BLIND.set(_BlindKeys())
    try:
        yield
    finally:
        _BLIND.reset(token)


_DESCRIPTIONS = {
    "b": "bold",
    "i": "italic",
    "u": "underline",
    "strike": "strike",
    "dstrike": "strike",
    "caps": "caps",
    "smallCaps": "small-caps",
    "color": "color",
    "highlight": "highlight",
    "shd": "shading",
    "rFonts": "font",
    "latin": "font",
    "sz": "size",
    "rStyle": "style",
    "vanish": "hidden",
    "webHidden": "hidden",
    "position": "position",
    "spacing": "spacing",
    "bdr": "border",
    "effect": "effect",
    "em": "emphasis-mark",
    "outline": "outline",
    "shadow": "shadow",
    "emboss": "emboss",
    "imprint": "imprint",
    "solidFill": "color",
    "baseline": "baseline",
}


def canonicalise_rpr(rpr: etree._Element) -> None:
    """Rewrite a run-properties element into its canonical form, in place."""
    attrib = rpr.attrib
    if attrib:
        for name in [k for k in attrib if _is_noise(k)]:
            del attrib[name]
    if rpr.text is not None:
        rpr.text = None
    for child in rpr:
        if child.tail is not None:
            child.tail = None
        if child.tag in _TOGGLE_TAGS:
            _canonical_toggle(child)


def _is_noise(attribute: str | bytes) -> bool:
    local = local_name(attribute)
    return local.startswith("rsid") or local in _NOISE_ATTRIBUTES


def _canonical_toggle(element: etree._Element) -> None:
    attrib = element.attrib
    for name, value in attrib.items():
        if value in _TRUE_VALUES and local_name(name) == "val":
            del attrib[name]
            return


def rpr_key(rpr: etree._Element | None) -> RPrKey:
    """Comparison key of a canonicalised properties element; ``b""`` for none.

    The key is the element's serialisation: equal keys mean equal canonical XML. (Two
    equal property sets written with a different attribute order get different keys;
    that only costs an extra tag, never fidelity.)
    """
    if rpr is None:
        return EMPTY_KEY
    serialised = etree.tostring(rpr, with_tail=False)
    blind = _BLIND.get()
    return serialised if blind is None else blind.key(rpr, serialised)


def _blind_key(element: etree._Element) -> tuple[object, ...]:
    attributes = tuple(
        sorted(
            (name, value)
            for name, value in element.attrib.items()
            if local_name(name) not in _TYPOGRAPHY_ATTRIBUTES
        )
    )
    children = tuple(
        _blind_key(child)
        for child in element
        if isinstance(child.tag, str) and local_name(child.tag) not in _TYPOGRAPHY_CHILDREN
    )
    return (element.tag, attributes, children)


def _element_key(element: etree._Element) -> tuple[object, ...]:
    attributes = tuple(sorted(element.attrib.items())) if element.attrib else ()
    children = tuple(_element_key(child) for child in element if isinstance(child.tag, str))
    return (element.tag, attributes, children)


def is_toggle_on(element: etree._Element) -> bool:
    """True when a toggle property element is on (absent ``@val`` means on)."""
    for name, value in element.attrib.items():
        if local_name(name) == "val":
            return value not in _OFF_VALUES
    return True


def describe_difference(base: etree._Element | None, span: etree._Element | None) -> str:
    """Short description of what ``span`` properties change relative to ``base``.

    Examples: ``bold``, ``bold+italic``, ``not-bold``, ``superscript``, ``style``;
    ``format`` when the difference has no simple name.
    """
    base_children = _children_by_name(base)
    span_children = _children_by_name(span)
    words: set[str] = set()
    for name in base_children.keys() | span_children.keys():
        before, after = base_children.get(name), span_children.get(name)
        if before is not None and after is not None and _element_key(before) == _element_key(after):
            continue
        shown = after if after is not None else before
        assert shown is not None
        word = _describe_property(name, shown, after is None)
        if word:
            words.add(word)
    return "+".join(sorted(words)) or "format"


def _children_by_name(rpr: etree._Element | None) -> dict[str, etree._Element]:
    if rpr is None:
        return {}
    return {local_name(child.tag): child for child in rpr if isinstance(child.tag, str)}


def _describe_property(name: str, element: etree._Element, removed: bool) -> str:
    if name == "vertAlign":
        value = _value(element)
        return "" if removed or value == "baseline" else value
    word = _DESCRIPTIONS.get(name, "")
    if word and name in TOGGLES and (removed or not is_toggle_on(element)):
        return f"not-{word}"
    return word


def _value(element: etree._Element) -> str:
    for name, value in element.attrib.items():
        if local_name(name) == "val":
            return str(value)
    return ""
