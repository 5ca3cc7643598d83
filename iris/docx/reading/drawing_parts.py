"""Charts, SmartArt and document properties: the text outside WordprocessingML stories.

* Charts (``chart`` relationships of story parts): every ``a:p`` (titles, axis titles,
  rich data labels, ``c:tx/c:rich``) and the string caches ``c:strCache/c:pt/c:v``
  (series and category names; never ``c:numCache`` or the ``c:f`` formulas).
* SmartArt data (``diagramData``): the ``a:p`` of ``dgm:pt`` points of type node or
  assistant. SmartArt drawings (``diagramDrawing``, the cached layout LibreOffice and
  older readers render) are translated consistently: a drawing paragraph whose tagged
  text equals a data paragraph shares its units.
* Document properties, by category (`Policy.properties`): core (``dc:title``,
  ``dc:subject``, ``dc:description`` shown as "Comments", ``cp:keywords``,
  ``cp:category``), app (``Company``, ``Manager`` of the extended properties) and custom
  (the ``vt:lpwstr`` value of each custom property; names and other types stay).
"""

from __future__ import annotations

from lxml import etree

from iris.docx.model import Policy, UnitKind
from iris.docx.opc.names import (
    A_NS,
    A_STRICT_NS,
    C_NS,
    C_STRICT_NS,
    CP_NS,
    DC_NS,
    DGM_NS,
    DGM_STRICT_NS,
    drawing_names,
    local_name,
    namespace_of,
)
from iris.docx.reading.drawingml import DrawingParagraphReader, normalise_drawing_paragraph
from iris.docx.reading.extract import Extraction, ParagraphEntry, ValueEntry, same_structure
from iris.docx.text.protect import protected_spans
from iris.docx.text.units import value_unit
from iris.docx.writing.dialects import DrawingDialect

CORE_FIELDS = (
    (DC_NS, "title"),
    (DC_NS, "subject"),
    (DC_NS, "description"),
    (CP_NS, "keywords"),
    (CP_NS, "category"),
)
APP_FIELDS = ("Company", "Manager")
_VT_STRING = "lpwstr"
_NODE_POINT_TYPES = frozenset({None, "node", "asst"})
_STRING_CACHES = frozenset({"strCache", "strLit"})


def extract_drawings(extraction: Extraction) -> None:
    """Add chart and SmartArt paragraphs and chart labels to ``extraction``.

    Like `iris.docx.reading.extract.extract`, it leaves paragraph units to `segment`.
    """
    package = extraction.package
    charts, data, drawings = _related_parts(extraction)
    for name in data:
        _read_paragraphs(
            extraction, name, UnitKind.SMARTART, _smartart_paragraphs(package.xml(name))
        )
    data_entries = [e for e in extraction.paragraphs if e.part in data]
    for name in drawings:
        paragraphs = _all_drawing_paragraphs(package.xml(name))
        entries = _read_paragraphs(extraction, name, UnitKind.SMARTART, paragraphs)
        _link_to_data(entries, data_entries)
    for name in charts:
        root = package.xml(name)
        _read_paragraphs(extraction, name, UnitKind.CHART, _all_drawing_paragraphs(root))
        _read_chart_values(extraction, name, root)


def _related_parts(extraction: Extraction) -> tuple[list[str], list[str], list[str]]:
    package = extraction.package
    found: dict[str, list[str]] = {"chart": [], "diagramData": [], "diagramDrawing": []}
    for story in extraction.story_parts:
        for suffix, names in found.items():
            for name in package.related(story, suffix):
                if name not in names and name.endswith(".xml"):
                    names.append(name)
    extraction.drawing_parts = [n for names in found.values() for n in names]
    extraction.chart_parts = list(found["chart"])
    return found["chart"], found["diagramData"], found["diagramDrawing"]


def _a_namespace(root: etree._Element) -> str:
    """The DrawingML namespace the part's text uses (Strict parts may mix roots)."""
    first = next(root.iter(f"{{{A_NS}}}p", f"{{{A_STRICT_NS}}}p"), None)
    return A_STRICT_NS if first is not None and A_STRICT_NS in str(first.tag) else A_NS


def _all_drawing_paragraphs(root: etree._Element) -> list[etree._Element]:
    names = drawing_names(_a_namespace(root))
    return list(root.iter(names.p))


def _smartart_paragraphs(root: etree._Element) -> list[etree._Element]:
    names = drawing_names(_a_namespace(root))
    found: list[etree._Element] = []
    for ns in (DGM_NS, DGM_STRICT_NS):
        for point in root.iter(f"{{{ns}}}pt"):
            if point.get("type") in _NODE_POINT_TYPES:
                for text in point.iterchildren(f"{{{ns}}}t"):
                    found.extend(text.iter(names.p))
    return found


def _read_paragraphs(
    extraction: Extraction, part: str, kind: UnitKind, paragraphs: list[etree._Element]
) -> list[ParagraphEntry]:
    if not paragraphs:
        return []
    names = drawing_names(_a_namespace(extraction.package.xml(part)))
    reader = DrawingParagraphReader(names, protected_spans)
    dialect = DrawingDialect(names)
    entries = []
    for index, paragraph in enumerate(paragraphs):
        normalise_drawing_paragraph(paragraph, names)
        model = reader.read(paragraph)
        if not model.has_text:
            continue
        location = f"{kind.value} {part.rpartition('/')[2]} ¶{index + 1}"
        entry = ParagraphEntry(part, f"{part}#a{index}", kind, location, model, dialect, True)
        entries.append(entry)
        extraction.paragraphs.append(entry)
    return entries


def _link_to_data(entries: list[ParagraphEntry], data_entries: list[ParagraphEntry]) -> None:
    """Drawing paragraphs share the units of the first data paragraph with equal text."""
    by_text: dict[str, ParagraphEntry] = {}
    for candidate in data_entries:
        by_text.setdefault(candidate.model.tagged, candidate)
    for entry in entries:
        match = by_text.get(entry.model.tagged)
        if match is not None and same_structure(match.model, entry.model):
            entry.master = match


def _read_chart_values(extraction: Extraction, part: str, root: etree._Element) -> None:
    ns = C_STRICT_NS if "purl.oclc.org" in str(root.tag) else C_NS
    point, value_tag = f"{{{ns}}}pt", f"{{{ns}}}v"
    for index, value in enumerate(root.iter(value_tag)):
        parent = value.getparent()
        if parent is None or not _is_label(parent, point):
            continue
        text = value.text or ""
        if not text.strip():
            continue
        unit = value_unit(
            f"{part}#v{index}", part, UnitKind.CHART, f"chart {part.rpartition('/')[2]} label", text
        )
        extraction.values.append(ValueEntry(unit, value))


def _is_label(parent: etree._Element, point_tag: str) -> bool:
    if parent.tag != point_tag:
        return str(parent.tag).endswith("}tx")
    cache = parent.getparent()
    return cache is not None and str(cache.tag).rpartition("}")[2] in _STRING_CACHES


def extract_properties(extraction: Extraction, policy: Policy | None = None) -> None:
    """Add the document properties of the categories ``policy.properties`` names
    (``core``, ``app``, ``custom``) as value units."""
    categories = (policy or Policy()).properties
    package = extraction.package
    cores = package.related("", "core-properties")
    if cores and "core" in categories:
        extraction.core_part = cores[0]
        root = package.xml(cores[0])
        for ns, local in CORE_FIELDS:
            _add_property(extraction, cores[0], root.find(f"{{{ns}}}{local}"), local)
    apps = package.related("", "extended-properties")
    if apps and "app" in categories:
        root = package.xml(apps[0])
        ns = namespace_of(root.tag)
        for local in APP_FIELDS:
            _add_property(extraction, apps[0], root.find(f"{{{ns}}}{local}"), local)
    customs = package.related("", "custom-properties")
    if customs and "custom" in categories:
        for prop in package.xml(customs[0]):
            value = next(iter(prop), None)
            if value is None or local_name(value.tag) != _VT_STRING:
                continue
            name = prop.get("name") or ""
            unit_id = f"pid{prop.get('pid') or ''}"
            _add_property(extraction, customs[0], value, unit_id, f"custom property {name}")


def _add_property(
    extraction: Extraction,
    part: str,
    element: etree._Element | None,
    unit_id: str,
    label: str | None = None,
) -> None:
    """A value unit for a property element holding text only (no child elements)."""
    if element is None or len(element) or not (element.text or "").strip():
        return
    unit = value_unit(
        f"{part}#{unit_id}",
        part,
        UnitKind.PROPERTY,
        label or f"document {unit_id.lower()}",
        element.text or "",
    )
    extraction.values.append(ValueEntry(unit, element))
