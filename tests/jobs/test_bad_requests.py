"""Requests that cannot be served are refused before anything is stored."""

from __future__ import annotations

from typing import Any

import pytest

from iris.docx.errors import EncryptedDocumentError
from iris.engines.base import UnsupportedPairError
from iris.engines.registry import UnknownEngineError
from iris.formats import UnsupportedFormatError
from iris.jobs.actions import (
    DocumentTooLargeError,
    JobRequestError,
    TranslationRequest,
    create_jobs,
)
from iris.jobs.languages import UnknownLanguageError
from iris.jobs.models import Job
from tests.documents import build_document
from tests.formats.cfb import cfb_file

pytestmark = pytest.mark.django_db

ENCRYPTED_DOCX = cfb_file({"EncryptionInfo": bytes(64), "EncryptedPackage": bytes(64)})


def request(data: bytes | None = None, **fields: Any) -> TranslationRequest:
    values: dict[str, Any] = {"name": "a.docx", "data": build_document() if data is None else data}
    values |= {"target_langs": ["fr"], "source_lang": "en", **fields}
    return TranslationRequest(**values)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (request(target_langs=["xx"]), UnknownLanguageError),
        (request(source_lang="klingon"), UnknownLanguageError),
        (request(target_langs=[]), JobRequestError),
        (request(target_langs=["en-GB"]), JobRequestError),
        (request(engine="babel"), UnknownEngineError),
        (request(engine="apertium", target_langs=["es", "de"]), UnsupportedPairError),
        (request(data=b"plain text, not a document"), UnsupportedFormatError),
        (request(data=ENCRYPTED_DOCX), EncryptedDocumentError),
        (request(data=cfb_file({"Workbook": bytes(64)})), UnsupportedFormatError),
    ],
)
def test_refused_and_nothing_stored(bad: TranslationRequest, error: type[Exception]) -> None:
    with pytest.raises(error):
        create_jobs(bad)
    assert not Job.objects.exists()


def test_oversized_upload_is_refused(settings) -> None:
    settings.IRIS_MAX_UPLOAD_MB = 0
    with pytest.raises(DocumentTooLargeError, match="larger than 0 MiB"):
        create_jobs(request())
    assert not Job.objects.exists()
