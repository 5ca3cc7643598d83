"""Iris document library: lossless extraction and reassembly of Word (.docx) documents.

Pure Python + lxml, no Django. `open_document` reads a package into sentence `Unit`s
with inline tags; `Document.apply` writes tagged targets back into the same runs and
properties; `compare` reports the structural fidelity of a translated document.
"""

from __future__ import annotations

from iris.docx.compare import FidelityReport, compare
from iris.docx.document import Document, open_document
from iris.docx.errors import (
    DocxError,
    EncryptedDocumentError,
    MacroEnabledError,
    MalformedPackageError,
    NotADocxError,
    TagError,
    UnsafePackageError,
)
from iris.docx.leftover import Leftover, find_leftovers
from iris.docx.limits import Limits
from iris.docx.model import (
    VALUE_KINDS,
    Policy,
    PolicyError,
    Unit,
    UnitKind,
    policy_as_json,
    policy_from_options,
)
from iris.docx.policy_changes import PolicyChanges, policy_summary
from iris.docx.preview import Preview, preview

__all__ = [
    "VALUE_KINDS",
    "Document",
    "DocxError",
    "EncryptedDocumentError",
    "FidelityReport",
    "Leftover",
    "Limits",
    "MacroEnabledError",
    "MalformedPackageError",
    "NotADocxError",
    "Policy",
    "PolicyChanges",
    "PolicyError",
    "Preview",
    "TagError",
    "Unit",
    "UnitKind",
    "UnsafePackageError",
    "compare",
    "find_leftovers",
    "open_document",
    "policy_as_json",
    "policy_from_options",
    "policy_summary",
    "preview",
]
