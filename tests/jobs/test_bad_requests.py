"""Requests that cannot be served are refused before anything is stored."""

from __future__ import annotations

from typing import Any

import pytest

from iris.docx.errors import EncryptedDocumentError
from iris.engines.base import InvalidOptionError, UnsupportedPairError
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
        (request(engine_options={"delay": "5"}), InvalidOptionError),
        (request(engine_options={"delay_ms": "-1"}), InvalidOptionError),
        (request(engine_options={"delay_ms": "soon"}), InvalidOptionError),
        (request(engine_options={"delay_ms": True}), InvalidOptionError),  # JSON true, not 1
        (request(engine="deepl", engine_options={"formality": "very"}), InvalidOptionError),
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


def test_engine_options_are_parsed_with_their_defaults() -> None:
    from iris.engines.deepl_engine import DeepLEngine
    from iris.engines.pseudo import PseudoEngine

    assert PseudoEngine.check_options({"delay_ms": "250"}) == {"delay_ms": 250.0}
    assert PseudoEngine.check_options({}) == {"delay_ms": 0.0}
    assert DeepLEngine.check_options({}) == {"formality": "default"}


def test_transient_retries_back_off_with_jitter_unless_the_service_says_when() -> None:
    from iris.engines.base import TransientError
    from iris.jobs.tasks import _backoff

    waits = {_backoff(TransientError("busy"), 3) for _ in range(50)}
    assert all(4.0 <= wait <= 8.0 for wait in waits)
    assert len(waits) > 40  # spread out, not all at once
    assert _backoff(TransientError("busy", retry_after=7), 3) == 7
    assert _backoff(TransientError("busy"), 12) <= 60
