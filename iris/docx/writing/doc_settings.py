"""Document-wide settings written on apply: default language, theme font language,
chart language, ``dc:language`` and ``w:updateFields``."""

from __future__ import annotations

from lxml import etree

from iris.docx.opc.names import C_NS, C_STRICT_NS, DC_NS, word_names_for
from iris.docx.opc.package import Package
from iris.docx.writing.schema_order import (
    DOC_DEFAULTS_ORDER,
    RPR_ORDER,
    SETTINGS_ORDER,
    STYLES_ORDER,
    ensure_child,
)
from iris.docx.writing.typography import Typography


def set_default_language(package: Package, typography: Typography) -> list[str]:
    """Set the target language in styles, settings, charts and core properties.

    Returns the names of the parts it changed.
    """
    main = package.main_part
    changed = []
    for name in package.related(main, "styles")[:1]:
        _set_doc_defaults(package.xml(name), typography)
        changed.append(name)
    for name in package.related(main, "settings")[:1]:
        root = package.xml(name)
        names = word_names_for(root.tag)
        element = ensure_child(root, names.q("themeFontLang"), SETTINGS_ORDER)
        element.set(names.q(typography.lang_slot), typography.culture)
        changed.append(name)
    for name in package.related("", "core-properties")[:1]:
        _set_core_language(package.xml(name), typography.culture)
        changed.append(name)
    return changed


def _set_doc_defaults(root: etree._Element, typography: Typography) -> None:
    names = word_names_for(root.tag)
    defaults = ensure_child(root, names.q("docDefaults"), STYLES_ORDER)
    run_defaults = ensure_child(defaults, names.q("rPrDefault"), DOC_DEFAULTS_ORDER)
    rpr = run_defaults.find(names.rPr)
    if rpr is None:
        rpr = run_defaults.makeelement(names.rPr, {})
        run_defaults.append(rpr)
    lang = ensure_child(rpr, names.lang, RPR_ORDER)
    lang.set(names.q(typography.lang_slot), typography.culture)


def _set_core_language(root: etree._Element, culture: str) -> None:
    element = root.find(f"{{{DC_NS}}}language")
    if element is None:
        element = root.makeelement(f"{{{DC_NS}}}language", {})
        root.append(element)
    element.text = culture


def set_chart_language(root: etree._Element, culture: str) -> None:
    """Set ``c:lang`` of a chart part (created after ``c:date1904`` when missing)."""
    for ns in (C_NS, C_STRICT_NS):
        tag = f"{{{ns}}}lang"
        element = root.find(tag)
        if element is None and root.tag == f"{{{ns}}}chartSpace":
            element = root.makeelement(tag, {})
            date = root.find(f"{{{ns}}}date1904")
            root.insert(0 if date is None else root.index(date) + 1, element)
        if element is not None:
            element.set("val", culture)


def request_field_update(package: Package) -> str | None:
    """Set ``w:updateFields`` in the settings part so Word refreshes fields on open."""
    settings = package.related(package.main_part, "settings")
    if not settings:
        return None
    root = package.xml(settings[0])
    names = word_names_for(root.tag)
    element = ensure_child(root, names.q("updateFields"), SETTINGS_ORDER)
    element.set(names.q("val"), "true")
    return settings[0]
