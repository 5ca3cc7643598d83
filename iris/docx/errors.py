"""Typed errors raised by the document library on bad or hostile input.

Every error the library raises because of the *input document* derives from
:class:`DocxError`, so callers can catch one class and show its message, which is
always one sentence the user can act on.
"""

from __future__ import annotations

__all__ = [
    "DocxError",
    "EncryptedDocumentError",
    "MacroEnabledError",
    "MalformedPackageError",
    "NotADocxError",
    "TagError",
    "UnsafePackageError",
]


class DocxError(Exception):
    """Base class of every error the library raises because of its input."""


class NotADocxError(DocxError):
    """The input is not a zip, not an OOXML Word package, or has no main document part."""


class EncryptedDocumentError(DocxError):
    """The input is a password-protected Office file (OLE/CFB container or encrypted entries)."""


class MacroEnabledError(DocxError):
    """The input carries VBA macros (.docm) and the policy does not allow them."""


class UnsafePackageError(DocxError):
    """The input exceeds a safety limit: zip bomb, too many parts, bad entry name, DTD."""


class MalformedPackageError(DocxError):
    """The package is damaged: broken XML, relationships, content types or zip data."""


class TagError(DocxError):
    """Tagged unit text is malformed and cannot be repaired."""
