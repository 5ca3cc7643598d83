"""Files in and out of the records pages: the memory and glossary services read and
write files, so an upload is put on disk for them and an export sent from disk."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils.text import get_valid_filename


def safe_name(name: str | None, default: str) -> str:
    """The client's file name reduced to a plain name (it is shown and audited, never
    used as a path)."""
    try:
        cleaned = get_valid_filename(Path(name or "").name)[-100:]
    except SuspiciousFileOperation:  # "", "." and ".."
        return default
    return cleaned or default


@contextmanager
def saved_upload(upload: UploadedFile[Any], default: str) -> Iterator[Path]:
    """``upload`` as a file under its own (cleaned) name, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="iris-console-") as folder:
        path = Path(folder) / safe_name(upload.name, default)
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        yield path


def file_download(
    write: Callable[[Path], object], filename: str, content_type: str
) -> FileResponse:
    """An attachment of what ``write`` puts in the file it is given."""
    with tempfile.TemporaryDirectory(prefix="iris-console-") as folder:
        path = Path(folder) / filename
        write(path)
        # Opened before the folder goes: the open file outlives its name (POSIX).
        handle = path.open("rb")
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
