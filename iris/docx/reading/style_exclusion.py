"""Styles whose text is never extracted (`Policy.excluded_styles`).

A policy names styles the way a user sees them ("HTML Preformatted") or the way the file
stores them (``HTMLPreformatted``): both the style id (``w:style/@w:styleId``) and the
style name (``w:name/@w:val``) are matched, case-insensitively. A style based on
(``w:basedOn``, at any depth) an excluded style is excluded too: a "Code Python" style
derived from "Code" is code as well, and a user who excludes "Code" expects it gone.
(Okapi's filter matches only the named style; following inheritance is the reading a
user who never looks at the style tree expects.)

Paragraph styles decide for whole paragraphs (see `iris.docx.reading.stories.story_paragraphs`),
character styles for runs (see `iris.docx.reading.inline.WordParagraphReader`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from iris.docx.model import Policy
from iris.docx.opc.names import WordNames, word_names_for
from iris.docx.opc.package import Package


@dataclass(frozen=True)
class ExcludedStyles:
    """Ids of the excluded paragraph styles and character styles of one document."""

    paragraph: frozenset[str] = frozenset()
    character: frozenset[str] = frozenset()


def excluded_styles(package: Package, policy: Policy) -> ExcludedStyles:
    """The style ids of ``package`` that ``policy`` excludes (none without a styles part)."""
    if not policy.excluded_styles:
        return ExcludedStyles()
    for name in package.related(package.main_part, "styles")[:1]:
        return styles_excluded_by(package.xml(name), policy)
    return ExcludedStyles()


def styles_excluded_by(root: etree._Element, policy: Policy) -> ExcludedStyles:
    """The style ids of a styles part (``w:styles`` root) that ``policy`` excludes."""
    wanted = frozenset(name.strip().casefold() for name in policy.excluded_styles)
    if not wanted:
        return ExcludedStyles()
    names = word_names_for(root.tag)
    found: dict[str, set[str]] = {"paragraph": set(), "character": set()}
    for kind, table in _style_tables(root, names).items():
        for style_id in table:
            if _inherits_excluded(style_id, table, wanted):
                found[kind].add(style_id)
    return ExcludedStyles(frozenset(found["paragraph"]), frozenset(found["character"]))


_StyleTable = dict[str, tuple[str, str | None]]  # style id -> (name, basedOn id)


def _style_tables(root: etree._Element, names: WordNames) -> dict[str, _StyleTable]:
    tables: dict[str, _StyleTable] = {"paragraph": {}, "character": {}}
    val = names.q("val")
    for style in root.iterchildren(names.q("style")):
        table = tables.get(style.get(names.q("type")) or "paragraph")
        style_id = style.get(names.q("styleId"))
        if table is None or style_id is None:
            continue
        name = style.find(names.q("name"))
        based = style.find(names.q("basedOn"))
        table[style_id] = (
            "" if name is None else name.get(val) or "",
            None if based is None else based.get(val),
        )
    return tables


def _inherits_excluded(style_id: str, table: _StyleTable, wanted: frozenset[str]) -> bool:
    seen: set[str] = set()
    current: str | None = style_id
    while current is not None and current in table and current not in seen:
        seen.add(current)
        name, current_based = table[current]
        if current.casefold() in wanted or name.strip().casefold() in wanted:
            return True
        current = current_based
    return False
