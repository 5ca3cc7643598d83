"""Documents built for tests with python-docx: real Word packages with headings,
formatting, tables, headers, footers and repeated sentences."""

from __future__ import annotations

import io
import random

from docx import Document
from docx.shared import Pt

WORDS = [
    "contract",
    "delivery",
    "invoice",
    "partner",
    "quality",
    "schedule",
    "warranty",
    "payment",
    "service",
    "customer",
    "product",
    "report",
    "budget",
    "project",
    "review",
    "meeting",
    "policy",
    "support",
    "order",
    "market",
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + "."


def build_document(paragraphs: int = 12, seed: int = 7, repeats: int = 2) -> bytes:
    """A .docx whose text is seeded; ``repeats`` sentences occur twice (reuse)."""
    rng = random.Random(seed)
    document = Document()
    document.core_properties.title = "Quarterly service report"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Confidential - internal use"
    section.footer.paragraphs[0].text = "Prepared by the service team"
    document.add_heading("Quarterly service report", level=1)
    repeated = [_sentence(rng) for _ in range(repeats)]
    for index in range(paragraphs):
        if index % 4 == 0:
            document.add_heading(f"Section {index // 4 + 1} overview", level=2)
        paragraph = document.add_paragraph(_sentence(rng) + " ")
        bold = paragraph.add_run(_sentence(rng))
        bold.bold = True
        paragraph.add_run(" " + _sentence(rng) + " Total 1,250 units in 2024.")
        if index < repeats:
            document.add_paragraph(repeated[index])
            document.add_paragraph(repeated[index])
    table = document.add_table(rows=3, cols=2)
    for row in table.rows:
        row.cells[0].text = _sentence(rng)
        row.cells[1].text = "42"
        row.cells[1].paragraphs[0].runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_large_document(paragraphs: int, seed: int = 11) -> bytes:
    """Many distinct paragraphs, for batching, crash and benchmark runs."""
    return build_document(paragraphs=paragraphs, seed=seed, repeats=0)
