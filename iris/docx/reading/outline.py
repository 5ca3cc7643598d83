"""Heading levels of paragraphs, for the context an engine gets ("the headings above").

A paragraph is a heading when its own ``w:outlineLvl`` or its style's (following
``w:basedOn``) is below 9, or when its style is one of Word's built-in heading styles
(names ``heading 1``..``heading 9`` and ``Title``, which stay English in every UI
language). Levels count from 0 (``Title`` and ``heading 1``), as ``w:outlineLvl`` does.
"""

from __future__ import annotations

import re

from lxml import etree

from iris.docx.opc.names import W_NS, W_STRICT_NS
from iris.docx.opc.package import Package

_BUILT_IN = re.compile(r"^heading ([1-9])$", re.IGNORECASE)
BODY_TEXT = 9


def _attr(element: etree._Element | None, ns: str) -> str | None:
    return None if element is None else element.get(f"{{{ns}}}val")


def _own_level(ppr: etree._Element | None, ns: str) -> int | None:
    value = _attr(None if ppr is None else ppr.find(f"{{{ns}}}outlineLvl"), ns)
    if value is None or not value.isdigit():
        return None
    return int(value)


def _style_table(styles: etree._Element, ns: str) -> dict[str, tuple[int | None, str | None]]:
    """style id -> (level from the style itself or its name, basedOn id)."""
    table: dict[str, tuple[int | None, str | None]] = {}
    for style in styles.iter(f"{{{ns}}}style"):
        if style.get(f"{{{ns}}}type") != "paragraph":
            continue
        style_id = style.get(f"{{{ns}}}styleId") or ""
        level = _own_level(style.find(f"{{{ns}}}pPr"), ns)
        name = (_attr(style.find(f"{{{ns}}}name"), ns) or "").strip()
        if level is None:
            match = _BUILT_IN.match(name)
            level = int(match.group(1)) - 1 if match else 0 if name.lower() == "title" else None
        table[style_id] = (level, _attr(style.find(f"{{{ns}}}basedOn"), ns))
    return table


def _resolve(table: dict[str, tuple[int | None, str | None]], style_id: str) -> int | None:
    seen: set[str] = set()
    current: str | None = style_id
    while current is not None and current in table and current not in seen:
        seen.add(current)
        level, current = table[current]
        if level is not None:
            return level
    return None


class Outline:
    """Heading levels of one package's paragraphs."""

    def __init__(self, package: Package) -> None:
        self.ns = W_STRICT_NS if package.is_strict else W_NS
        self._ppr, self._style = f"{{{self.ns}}}pPr", f"{{{self.ns}}}pStyle"
        self.levels: dict[str, int] = {}
        for name in package.related(package.main_part, "styles"):
            table = _style_table(package.xml(name), self.ns)
            for style_id in table:
                level = _resolve(table, style_id)
                if level is not None and level < BODY_TEXT:
                    self.levels[style_id] = level

    def level(self, paragraph: etree._Element) -> int | None:
        """The heading level of a ``w:p`` (0 = outermost), or None for body text."""
        ppr = paragraph.find(self._ppr)
        if ppr is None:
            return None  # neither an own level nor a style
        own = _own_level(ppr, self.ns)
        if own is not None:
            return own if own < BODY_TEXT else None
        style = _attr(ppr.find(self._style), self.ns)
        return self.levels.get(style) if style else None
