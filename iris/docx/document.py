"""The public entry points: `open_document`, `Document.units` and `Document.apply`."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from iris.docx.model import Policy, Unit
from iris.docx.opc.limits import Limits
from iris.docx.opc.package import open_package
from iris.docx.reading.attributes import extract_attribute_texts
from iris.docx.reading.data_binding import find_bindings, write_bindings
from iris.docx.reading.drawing_parts import extract_drawings, extract_properties
from iris.docx.reading.extract import Extraction, ParagraphEntry, extract, segment
from iris.docx.reading.field_literals import extract_field_literals
from iris.docx.reading.fields import SELF_UPDATING_TYPES
from iris.docx.reading.numbering import extract_numbering_labels
from iris.docx.stages import stage
from iris.docx.text.units import unit_target
from iris.docx.verification.policy_changes import PolicyChanges
from iris.docx.writing.dialects import DrawingDialect, WordDialect
from iris.docx.writing.doc_settings import (
    request_field_update,
    set_chart_language,
    set_default_language,
)
from iris.docx.writing.in_place import write_in_place
from iris.docx.writing.reassemble import Dialect, ParagraphWriter
from iris.docx.writing.typography import Typography


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a document is read or written.

    Reading makes millions of small objects that hold no reference cycles (models,
    units, element proxies; reference counts free them). Each full collection walks
    every object alive, so on a long document the collector cost more than the
    reading itself: on 60,000 short paragraphs the read stage took 3.1 s with it and
    1.5 s without. The switch is process-wide: a reader that found collection on turns
    it back on when it ends, so it is on again once concurrent readers are done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load(data: bytes, source_lang: str, policy: Policy, limits: Limits | None) -> Extraction:
    """Open, normalise and read a package (the work behind `open_document`)."""
    with collector_paused():
        return _load(data, source_lang, policy, limits)


def _load(data: bytes, source_lang: str, policy: Policy, limits: Limits | None) -> Extraction:
    with stage("open package"):
        package = open_package(data, limits=limits, allow_macros=policy.allow_macros)
    extraction = extract(package, policy)
    with stage("other texts"):
        _record_policy(extraction, policy)
        extract_drawings(extraction)
        extract_properties(extraction, policy)
        extract_attribute_texts(extraction, policy)
        extract_numbering_labels(extraction, policy)
        extract_field_literals(extraction, policy)
    with stage("segment"):
        segment(extraction, source_lang)
    return extraction


def _record_policy(extraction: Extraction, policy: Policy) -> None:
    """Comments left out and the bound content controls (revisions are counted as they
    are accepted)."""
    package = extraction.package
    if not policy.comments:
        extraction.changes.count_comments(package)
    extraction.bindings, rich = find_bindings(package, extraction.story_parts)
    extraction.changes.bindings_left.extend(rich)


class Document:
    """An opened .docx: its units, and `apply` to write translations back.

    The first `apply` reuses the trees read by `open_document`; later calls re-read
    the original bytes, so every call starts from the source document.
    """

    def __init__(
        self, data: bytes, source_lang: str, policy: Policy, limits: Limits | None
    ) -> None:
        self._data = data
        self._source_lang = source_lang
        self._policy = policy
        self._limits = limits
        self._extraction: Extraction | None = load(data, source_lang, policy, limits)
        self._units = self._extraction.units()
        self._changes = self._extraction.changes

    @property
    def source_lang(self) -> str:
        """The language the units were segmented for."""
        return self._source_lang

    @property
    def policy(self) -> Policy:
        """The extraction policy the document was opened with."""
        return self._policy

    def units(self) -> list[Unit]:
        """Every unit of the document, in document order."""
        return list(self._units)

    def policy_changes(self) -> PolicyChanges:
        """What the policy changed in the document
        (`iris.docx.verification.policy_changes`): counted when it was opened, and the
        data-bound nodes of the last `apply`."""
        return self._changes

    def apply(
        self,
        targets: Mapping[str, str],
        target_lang: str,
        *,
        font_map: Mapping[str, str] | None = None,
    ) -> bytes:
        """The translated document as .docx bytes.

        ``targets`` maps unit ids to tagged target text; units absent from it keep their
        source. Damaged tags are repaired (`iris.docx.text.tags.repair_tags`), never dropped.
        ``font_map`` overrides the East Asian or complex-script font per language (keys
        ``ja``, ``ko``, ``zh-Hans``, ``zh-Hant``, a primary language such as ``ar`` or an
        exact target language).
        """
        extraction = self._extraction or load(
            self._data, self._source_lang, self._policy, self._limits
        )
        self._extraction = None
        with collector_paused():
            output = apply_document(extraction, targets, Typography(target_lang, font_map))
        self._changes = extraction.changes
        return output


def open_document(
    source: bytes | str | os.PathLike[str],
    *,
    source_lang: str = "en",
    policy: Policy | None = None,
    limits: Limits | None = None,
) -> Document:
    """Open a .docx (bytes or a path) for translation.

    Raises a `iris.docx.errors.DocxError` subclass for anything that is not a usable,
    safe Word document.
    """
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    return Document(data, source_lang, policy or Policy(), limits)


def apply_document(
    extraction: Extraction,
    targets: Mapping[str, str],
    typography: Typography,
    *,
    rebuild_unchanged: bool = False,
    in_place: bool = True,
) -> bytes:
    """Write targets into an extraction's trees and serialise the package.

    Paragraphs whose target equals their source are left as normalised, unless
    ``rebuild_unchanged`` (used by the identity check to prove the rebuild exact). A
    target that changes only text is written in place (`iris.docx.writing.in_place`)
    unless ``in_place`` is false (the tests compare both ways).
    """
    package = extraction.package
    typography = typography.bind(package)
    modified = set(extraction.story_parts)
    changed = False
    typed = _TypedDialects(typography)
    kept: list[ParagraphEntry] = []  # Word paragraphs whose text stays as it was
    with stage("apply paragraphs"):
        for entry in extraction.paragraphs:
            rewritten = _rewrite(entry, targets, typed, typography, rebuild_unchanged, in_place)
            changed = rewritten or changed
            if not rewritten and isinstance(entry.dialect, WordDialect):
                kept.append(entry)
            modified.add(entry.part)
    # Before the values: a core property extracted as a unit keeps that unit's text.
    modified.update(_write_bindings(extraction))
    for value in extraction.values:
        text = value.target_text(unit_target(value.unit, targets))
        if text != value.unit.plain:
            value.write(text)
            modified.add(value.unit.part)
            changed = True
    if changed:
        for entry in kept:  # a translated document reads in one direction throughout
            assert isinstance(entry.dialect, WordDialect)
            typography.word_direction(entry.model.element, entry.dialect.names)
        modified.update(_document_settings(extraction, typography))
    for name in sorted(modified):
        package.mark_modified(name)
    with stage("serialise package"):
        return package.to_bytes()


def _write_bindings(extraction: Extraction) -> set[str]:
    report, stores = write_bindings(extraction.package, extraction.bindings)
    changes = extraction.changes
    changes.bound_nodes_updated = report.updated
    changes.bindings_left = [*changes.bindings_left, *report.left]
    return stores


def _rewrite(
    entry: ParagraphEntry,
    targets: Mapping[str, str],
    typed: Callable[[Dialect], Dialect],
    typography: Typography,
    always: bool,
    in_place: bool,
) -> bool:
    units = entry.source_units()
    target = typography.join_targets((unit.source, unit_target(unit, targets)) for unit in units)
    unchanged = target == "".join(unit.source for unit in units)
    if unchanged and not always:
        return False
    dialect = entry.dialect if unchanged else typed(entry.dialect)
    runs = None
    if in_place and not unchanged and isinstance(dialect, WordDialect):
        runs = write_in_place(entry.model, target, dialect.retype)
    if runs is None:
        writer = ParagraphWriter(entry.model, dialect)
        writer.write(target)
        runs = writer.runs
    if unchanged:
        return False
    if isinstance(dialect, WordDialect):
        typography.word_paragraph(entry.model.element, dialect.names, runs, target)
    elif isinstance(dialect, DrawingDialect):
        typography.drawing_paragraph(entry.model.element, dialect.names)
    return True


class _TypedDialects:
    """One typographed dialect per dialect of the document (they share prototypes)."""

    def __init__(self, typography: Typography) -> None:
        self.typography = typography
        self.made: dict[int, Dialect] = {}

    def __call__(self, dialect: Dialect) -> Dialect:
        found = self.made.get(id(dialect))
        if found is None:
            assert isinstance(dialect, WordDialect | DrawingDialect)
            found = dialect.typed(self.typography)
            self.made[id(dialect)] = found
        return found


def _document_settings(extraction: Extraction, typography: Typography) -> list[str]:
    package = extraction.package
    changed = set_default_language(package, typography)
    typography.word_sections(package.xml(package.main_part))
    for name in extraction.chart_parts:
        set_chart_language(package.xml(name), typography.culture)
        changed.append(name)
    if extraction.field_types - SELF_UPDATING_TYPES:
        settings = request_field_update(package)
        if settings is not None:
            changed.append(settings)
    return changed
