"""The one interface every format converter implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from iris.formats.sniff import EXTENSION, SourceFormat

__all__ = ["Converter", "file_of"]


class Converter(ABC):
    """Converts a document between two :class:`SourceFormat` values.

    Implementations run the real work in a separate process with a time limit, so a
    converter that hangs or crashes on a hostile file costs a :class:`ConversionError`,
    never the calling worker.
    """

    name: str

    @abstractmethod
    def available(self) -> bool:
        """Whether the converter is installed here; cheap, and never loads it."""

    @abstractmethod
    def convert(self, data: bytes, source: SourceFormat, target: SourceFormat) -> bytes:
        """``data`` (a ``source`` file) as a ``target`` file, or :class:`ConversionError`."""


def file_of(fmt: SourceFormat) -> str:
    """``the .doc file``: how error messages name the document being converted."""
    return f"the {EXTENSION[fmt]} file"
