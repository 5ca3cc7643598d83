"""Iris document library: lossless extraction and reassembly of Word (.docx) documents.

Pure Python + lxml, no Django. `open_document` reads a package into sentence `Unit`s
with inline tags; `Document.apply` writes tagged targets back into the same runs and
properties; `compare` reports the structural fidelity of a translated document.

Other apps import from here only. The stages live in sub-packages: `opc` (the zip
package, limits, XML names), `reading` (stories, normalisation, paragraph models and the
other places text lives), `text` (tag syntax and repair, protection, segmentation,
units), `writing` (rebuilding runs, target typography, document settings) and
`verification` (fidelity comparison, round-trip checks, the leftover ruler).
"""

from __future__ import annotations

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
from iris.docx.model import (
    VALUE_KINDS,
    Policy,
    PolicyError,
    Unit,
    UnitKind,
    policy_as_json,
    policy_from_options,
)
from iris.docx.opc.limits import Limits
from iris.docx.opc.package import open_package
from iris.docx.preview import Preview, preview
from iris.docx.text.pseudo import pseudo_translate
from iris.docx.text.tag_syntax import (
    TAG_PATTERN,
    TagToken,
    TokenKind,
    escape_text,
    is_valid_syntax,
    plain_text,
    scan,
    tag_strings,
    tag_text,
)
from iris.docx.text.tags import repair_tags, tokenize, validate_tags
from iris.docx.verification.compare import FidelityReport, compare
from iris.docx.verification.leftover import Leftover, find_leftovers
from iris.docx.verification.policy_changes import PolicyChanges, policy_summary

__all__ = [
    "TAG_PATTERN",
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
    "TagToken",
    "TokenKind",
    "Unit",
    "UnitKind",
    "UnsafePackageError",
    "compare",
    "escape_text",
    "find_leftovers",
    "is_valid_syntax",
    "open_document",
    "open_package",
    "plain_text",
    "policy_as_json",
    "policy_from_options",
    "policy_summary",
    "preview",
    "pseudo_translate",
    "repair_tags",
    "scan",
    "tag_strings",
    "tag_text",
    "tokenize",
    "validate_tags",
]
