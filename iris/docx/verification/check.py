"""Round-trip checks run by ``python -m iris.docx check`` and the corpus tests.

* **Identity exact**: applying every unit's own source, with every paragraph rebuilt
  from its tagged text (`apply_document(..., rebuild_unchanged=True)`), yields, for
  each XML part that changed, the same C14N canonical form as the input after the documented
  normalisation (`iris.docx.reading.extract.normalise_stories` and the DrawingML one, applied
  to the input by `iris.docx.document.load`); every other zip entry is byte-identical.
* **No source left** after a pseudo-translation: no stretch of printed source letters
  is found unchanged at the same place of the output (`iris.docx.verification.leftover`). That ruler
  reads both packages itself and never asks the extractor what is translatable, so a
  wrong "not translatable" decision shows up here instead of passing silently.
  (`source_left` is the older, unit-based view of the same question.)
* **Compare clean**: `iris.docx.verification.compare.compare` finds no structural difference and no
  formatting note (`FidelityReport.exact`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from iris.docx.document import apply_document, load, open_document
from iris.docx.errors import DocxError
from iris.docx.model import Policy, Unit
from iris.docx.text.pseudo import pseudo_targets
from iris.docx.text.tags import plain_text
from iris.docx.verification.compare import compare
from iris.docx.verification.leftover import find_leftovers
from iris.docx.writing.typography import Typography

MIN_LETTERS = 4
PSEUDO_LANGUAGE = "de"
_WORD_RE = re.compile(rf"[^\W\d_]{{{MIN_LETTERS},}}")


def identity_differences(data: bytes, policy: Policy | None = None) -> list[str]:
    """Parts whose identity round trip differs from the normalised input ([] = exact)."""
    chosen = policy or Policy()
    extraction = load(data, "en", chosen, None)
    sources = {unit.id: unit.source for unit in extraction.units()}
    output = apply_document(extraction, sources, Typography("en"), rebuild_unchanged=True)
    reference = load(data, "en", chosen, None).package
    before = zipfile.ZipFile(io.BytesIO(data))
    after = zipfile.ZipFile(io.BytesIO(output))
    if before.namelist() != after.namelist():
        return ["zip entry names or order differ"]
    differences = []
    for name in before.namelist():
        produced = after.read(name)
        if produced == before.read(name):
            continue
        if not _same_canonical(reference.xml(name), produced):
            differences.append(name)
    return differences


def _same_canonical(expected: etree._Element, produced: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    actual = etree.fromstring(produced, parser)
    return bool(c14n(expected) == c14n(actual))


def c14n(element: etree._Element) -> bytes:
    """C14N 1.0 canonical form of an element's tree."""
    return etree.tostring(element, method="c14n")


def source_left(source: list[Unit], target: list[Unit]) -> list[str]:
    """Paragraphs of the target that still hold a *source word* — a run of at least
    `MIN_LETTERS` letters that occurs in the paragraph's translatable source units and
    not in its untranslatable ones — or equal their source plain text.

    This view trusts the extractor's judgement of what is translatable; `check_file`
    uses the independent `iris.docx.verification.leftover.find_leftovers`.
    """
    before, after = _by_paragraph(source), _by_paragraph(target)
    problems = []
    for paragraph, units in before.items():
        live = [plain_text(u.source) for u in units if u.translatable]
        if not live:
            continue
        kept = {w for u in units if not u.translatable for w in _WORD_RE.findall(u.plain)}
        words = {w for text in live for w in _WORD_RE.findall(text)} - kept
        now = "".join(plain_text(u.source) for u in after.get(paragraph, []))
        left = sorted(w for w in words if w in set(_WORD_RE.findall(now)))
        if left or now == "".join(live):
            problems.append(f"{paragraph}: {', '.join(left[:5]) or 'unchanged'}")
    return problems


def _by_paragraph(units: list[Unit]) -> dict[str, list[Unit]]:
    grouped: dict[str, list[Unit]] = {}
    for unit in units:
        grouped.setdefault(unit.id.rpartition(".s")[0] or unit.id, []).append(unit)
    return grouped


@dataclass
class FileCheck:
    """Outcome of `check_file` for one document."""

    name: str
    identity_exact: bool = False
    no_source_left: bool = False
    compare_clean: bool = False
    error: str = ""
    details: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One human-readable line for the CLI."""
        if self.error:
            return f"{self.name}: ERROR {self.error}"
        flags = (
            f"identity={'exact' if self.identity_exact else 'DIFF'} "
            f"source_left={'no' if self.no_source_left else 'YES'} "
            f"compare={'clean' if self.compare_clean else 'DIFF'}"
        )
        extra = f" — {'; '.join(self.details[:3])}" if self.details else ""
        return f"{self.name}: {flags}{extra}"


def check_file(path: Path, policy: Policy | None = None) -> FileCheck:
    """Identity round trip, pseudo round trip and compare for one file."""
    result = FileCheck(path.name)
    try:
        data = path.read_bytes()
        identity = identity_differences(data, policy)
        result.identity_exact = not identity
        result.details += [f"identity differs in {name}" for name in identity]
        document = open_document(data, policy=policy)
        units = document.units()
        output = document.apply(pseudo_targets(units), PSEUDO_LANGUAGE)
        left = find_leftovers(data, output, policy)
        result.no_source_left = not left
        result.details += [f"source left in {item}" for item in left]
        report = compare(data, output, policy=policy)
        result.compare_clean = report.exact
        result.details += report.differences + report.formatting
    except DocxError as error:
        result.error = str(error)
    return result


def summary_line(results: list[FileCheck]) -> str:
    """The last line of ``check``: counts over all files."""
    return (
        f"files={len(results)} "
        f"identity_exact={sum(r.identity_exact for r in results)} "
        f"no_source_left={sum(r.no_source_left for r in results)} "
        f"compare_clean={sum(r.compare_clean for r in results)} "
        f"errors={sum(bool(r.error) for r in results)}"
    )
