"""What a policy would extract from a document, per part and kind, before anything is sent.

`preview` counts a document's units by part and `UnitKind`: how many there are, how many
an engine would receive (``translatable``) and their words (`Unit.words` of those, which
leave out placeholders and tags). `Preview.table` is for people, `Preview.as_json` for
machines; ``python -m iris.docx units FILE --policy key=value`` prints either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from iris.docx.model import Policy, Unit, policy_as_json

_HEADER = ("part", "kind", "units", "to translate", "words")


@dataclass
class PreviewRow:
    """Units of one kind in one part."""

    part: str
    kind: str
    units: int = 0
    translatable: int = 0
    words: int = 0

    def add(self, unit: Unit) -> None:
        self.units += 1
        if unit.translatable:
            self.translatable += 1
            self.words += unit.words


@dataclass
class Preview:
    """The rows of one document, in the order their parts and kinds first occur."""

    name: str
    policy: Policy
    rows: list[PreviewRow] = field(default_factory=list)

    @property
    def total(self) -> PreviewRow:
        """Every row added up (part and kind ``total``)."""
        total = PreviewRow("total", "")
        for row in self.rows:
            total.units += row.units
            total.translatable += row.translatable
            total.words += row.words
        return total

    def table(self) -> list[str]:
        """Aligned lines: a header, one line per row, the totals."""
        cells = [_HEADER] + [_cells(row) for row in [*self.rows, self.total]]
        widths = [max(len(line[i]) for line in cells) for i in range(len(_HEADER))]
        return [_aligned(line, widths) for line in cells]

    def as_json(self) -> dict[str, Any]:
        """Plain data: file name, the policy's fields, rows and total."""
        return {
            "file": self.name,
            "policy": policy_as_json(self.policy),
            "rows": [dataclasses.asdict(row) for row in self.rows],
            "total": {
                k: v for k, v in dataclasses.asdict(self.total).items() if k not in ("part", "kind")
            },
        }


def preview(name: str, policy: Policy, units: Iterable[Unit]) -> Preview:
    """Count ``units`` (of the document ``name`` opened with ``policy``) per part and kind."""
    rows: dict[tuple[str, str], PreviewRow] = {}
    for unit in units:
        key = (unit.part, unit.kind.value)
        row = rows.get(key)
        if row is None:
            row = rows[key] = PreviewRow(*key)
        row.add(unit)
    return Preview(name, policy, list(rows.values()))


def _cells(row: PreviewRow) -> tuple[str, str, str, str, str]:
    return (row.part, row.kind, str(row.units), str(row.translatable), str(row.words))


def _aligned(cells: tuple[str, ...], widths: list[int]) -> str:
    left = [cell.ljust(width) for cell, width in zip(cells[:2], widths, strict=False)]
    right = [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
    return "  ".join(left + right).rstrip()
