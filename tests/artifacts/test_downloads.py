"""Signed download links: /d/<token> serves an artifact to whoever holds a valid link,
refuses the rest with the right status, and audits every answer."""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.utils import timezone

from iris.artifacts.links import MAX_LIFETIME_SECONDS, LinkLifetimeError, issue_link
from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import delete_artifact, store_artifact
from iris.governance.actions import Actor
from iris.governance.models import AuditRecord
from tests.artifacts.helpers import make_job, overwrite_object

pytestmark = pytest.mark.everywhere

DATA = b"PK\x03\x04 the translated document " * 100
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CLIENT = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": "curl/8.5 (download test)"}


def make_artifact(name: str = "report.docx", data: bytes = DATA) -> Artifact:
    return store_artifact(make_job(), ArtifactKind.DELIVERY, name, data)


def body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def last_audit() -> AuditRecord:
    record = AuditRecord.objects.filter(action="artifact.downloaded").last()
    assert record is not None, "the download was not audited"
    return record


class KeepRecords(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(level=logging.ERROR)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def errors_logged() -> Iterator[list[logging.LogRecord]]:
    """Error records of the download view (the runs disable pytest's logging plugin)."""
    records: list[logging.LogRecord] = []
    handler = KeepRecords(records)
    logger = logging.getLogger("iris.artifacts.views")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def test_a_valid_link_streams_the_artifact_and_is_audited(db, client, backend):
    artifact = make_artifact()
    link = issue_link(artifact)

    response = client.get(link.url, **CLIENT)

    assert response.status_code == 200
    assert body(response) == DATA
    assert response["Content-Type"] == DOCX
    assert response["Content-Length"] == str(len(DATA))
    assert response["Content-Disposition"] == 'attachment; filename="report.docx"'
    assert response["Cache-Control"] == "private, no-store"
    record = last_audit()
    assert (record.object_type, record.object_id) == ("artifacts.artifact", str(artifact.pk))
    assert record.actor is None
    assert record.actor_label == "anonymous"
    assert record.source_ip == "203.0.113.7"
    assert record.user_agent == "curl/8.5 (download test)"
    assert record.request_id == response["X-Request-ID"]
    assert record.after == {"token": link.token_id, "outcome": "served", "method": "GET"}


def test_a_non_ascii_name_gets_an_ascii_fallback_and_the_exact_name(db, client, backend):
    artifact = make_artifact(name='Résumé – 報告 "final".docx')

    response = client.get(issue_link(artifact).url)

    assert body(response) == DATA
    assert response["Content-Disposition"] == (
        'attachment; filename="Resume _ __ _final_.docx"; '
        "filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%20%E5%A0%B1%E5%91%8A%20%22final%22.docx"
    )


def test_head_answers_like_get_without_the_body(db, client, backend):
    artifact = make_artifact()
    link = issue_link(artifact)

    response = client.head(link.url, **CLIENT)

    assert response.status_code == 200
    assert body(response) == b""
    assert response["Content-Length"] == str(len(DATA))
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="report.docx"'
    assert last_audit().after == {"token": link.token_id, "outcome": "served", "method": "HEAD"}


def test_other_methods_are_not_allowed(db, client, local_storage):
    response = client.post(issue_link(make_artifact()).url)

    assert response.status_code == 405


def tampered(token: str) -> str:
    # The last character of the signature changed: still well-formed, no longer valid.
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def token_of(url: str) -> str:
    return url.removeprefix("/d/")


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(tampered, id="tampered-signature"),
        pytest.param(lambda token: "not-a-token", id="malformed"),
        pytest.param(lambda token: "d%C3%A9j%C3%A0:vu:x", id="non-ascii"),
        pytest.param(
            lambda token: signing.dumps(signing.loads(token, salt="iris.artifacts.download-link")),
            id="signed-with-another-salt",
        ),
    ],
)
def test_a_link_iris_did_not_sign_is_forbidden_and_audited(db, client, forge, local_storage):
    artifact = make_artifact()
    token = forge(token_of(issue_link(artifact).url))

    response = client.get(f"/d/{token}", **CLIENT)

    assert response.status_code == 403
    assert DATA not in body(response)
    record = last_audit()
    assert (record.object_type, record.object_id) == ("artifacts.artifact", "")
    assert record.source_ip == "203.0.113.7"
    assert record.after == {
        "token": "",
        "outcome": "refused",
        "method": "GET",
        "reason": "invalid_link",
        "status": 403,
    }


def test_an_expired_link_is_gone(db, client, local_storage):
    artifact = make_artifact()
    link = issue_link(artifact, 60, now=timezone.now() - timedelta(seconds=61))
    assert link.expires_at < timezone.now()

    response = client.get(link.url, **CLIENT)

    assert response.status_code == 410
    assert DATA not in body(response)
    assert "link has expired" in body(response).decode()
    record = last_audit()
    assert record.object_id == str(artifact.pk)
    assert record.after["token"] == link.token_id
    assert record.after["reason"] == "link_expired"


def test_a_link_still_valid_for_a_second_is_honoured(db, client, local_storage):
    artifact = make_artifact()
    link = issue_link(artifact, 60, now=timezone.now() - timedelta(seconds=58))

    assert client.get(link.url).status_code == 200


def test_a_deleted_artifact_is_gone(db, client, local_storage):
    artifact = make_artifact()
    link = issue_link(artifact)
    delete_artifact(artifact, Actor(name="alice"), "removed by a user")

    response = client.get(link.url, **CLIENT)

    assert response.status_code == 410
    assert DATA not in body(response)
    assert last_audit().after == {
        "token": link.token_id,
        "outcome": "refused",
        "method": "GET",
        "reason": "artifact_deleted",
        "status": 410,
    }


def test_an_artifact_past_its_retention_is_gone(db, client, local_storage):
    artifact = make_artifact()
    link = issue_link(artifact)
    Artifact.objects.filter(pk=artifact.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    response = client.get(link.url)

    assert response.status_code == 410
    assert DATA not in body(response)
    assert last_audit().after["reason"] == "artifact_expired"


def test_an_artifact_replaced_by_a_rerun_is_gone(db, client, local_storage):
    artifact = make_artifact()
    link = issue_link(artifact)
    store_artifact(artifact.job, ArtifactKind.DELIVERY, "report.docx", b"the second run")

    response = client.get(link.url)

    assert response.status_code == 410
    assert DATA not in body(response)
    assert b"the second run" not in body(response)
    assert "replaced by a newer version" in body(response).decode()
    record = last_audit()
    assert record.object_id == str(artifact.pk)
    assert record.after["reason"] == "artifact_replaced"


def test_an_artifact_whose_job_is_gone_is_gone(db, client, local_storage):
    artifact = make_artifact()
    link = issue_link(artifact)
    artifact.job.delete()

    response = client.get(link.url)

    assert response.status_code == 410
    record = last_audit()
    assert record.object_id == str(artifact.pk)
    assert record.after["reason"] == "artifact_gone"


def test_an_artifact_rewritten_with_other_bytes_is_replaced(db, client, local_storage):
    artifact = make_artifact()
    link = issue_link(artifact)
    # The same row now describing other bytes: the link named the earlier ones.
    Artifact.objects.filter(pk=artifact.pk).update(sha256="0" * 64)

    response = client.get(link.url)

    assert response.status_code == 410
    assert "replaced" in body(response).decode()
    assert last_audit().after["reason"] == "artifact_replaced"


def test_a_stored_object_failing_its_checksum_is_never_served(db, client, errors_logged, backend):
    artifact = make_artifact()
    link = issue_link(artifact)
    corrupt = b"PK\x03\x04 bytes that changed on disk " * 100
    overwrite_object(artifact.storage_name, corrupt)

    response = client.get(link.url, **CLIENT)

    assert response.status_code == 500
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"does not match its checksum" in body(response)
    assert b"PK" not in body(response)
    assert [record.getMessage() for record in errors_logged] == [
        f"download link {link.token_id} refused: artifact {artifact.pk} (report.docx) "
        "does not match its checksum"
    ]
    assert last_audit().after["reason"] == "checksum_mismatch"


def test_a_missing_object_is_gone_not_a_checksum_error(db, client, errors_logged, backend):
    """An object removed behind Iris's back: the file is gone (410), told as such and
    not as damaged bytes; the operators hear of it in the log."""
    artifact = make_artifact()
    default_storage.delete(artifact.storage_name)
    link = issue_link(artifact)

    response = client.get(link.url, **CLIENT)

    assert response.status_code == 410
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = body(response).decode()
    assert "gone from storage" in text
    assert "made again" in text
    assert "checksum" not in text
    assert [record.getMessage() for record in errors_logged] == [
        f"download link {link.token_id} refused: artifact {artifact.pk}: its object is missing"
    ]
    assert last_audit().after["reason"] == "object_missing"
    assert last_audit().after["status"] == 410


def test_links_last_the_configured_time_unless_asked_for_less(db, settings, local_storage):
    settings.IRIS_DOWNLOAD_LINK_SECONDS = 3600
    artifact = make_artifact()
    now = timezone.now().replace(microsecond=0)

    default = issue_link(artifact, now=now)
    short = issue_link(artifact, 120, now=now)
    longest = issue_link(artifact, MAX_LIFETIME_SECONDS, now=now)

    assert default.expires_at == now + timedelta(hours=1)
    assert short.expires_at == now + timedelta(minutes=2)
    assert longest.expires_at == now + timedelta(days=30)
    assert default.url.startswith("/d/")
    assert default.token_id != short.token_id


@pytest.mark.parametrize("lifetime", [MAX_LIFETIME_SECONDS + 1, 0, -60, True, 60.5])
def test_a_lifetime_beyond_30_days_or_not_whole_seconds_is_refused(db, lifetime, local_storage):
    with pytest.raises(LinkLifetimeError):
        issue_link(make_artifact(), lifetime)


def test_presigned_downloads_redirect_to_the_object(db, client, settings, s3_storage):
    settings.IRIS_S3_PRESIGNED_DOWNLOADS = True
    settings.IRIS_S3_PRESIGNED_SECONDS = 30
    artifact = make_artifact(name="Résumé.docx")
    link = issue_link(artifact)

    response = client.get(link.url, **CLIENT)

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(s3_storage.endpoint_url)
    assert "X-Amz-Expires=30" in location
    with urllib.request.urlopen(location, timeout=10) as answer:
        assert answer.read() == DATA
        assert answer.headers["Content-Type"] == DOCX
        assert answer.headers["Content-Disposition"] == (
            "attachment; filename=\"Resume.docx\"; filename*=UTF-8''R%C3%A9sum%C3%A9.docx"
        )
    assert last_audit().after == {"token": link.token_id, "outcome": "redirected", "method": "GET"}


def test_a_presigned_head_redirects_to_a_url_that_answers_head(db, client, settings, s3_storage):
    settings.IRIS_S3_PRESIGNED_DOWNLOADS = True
    artifact = make_artifact()

    response = client.head(issue_link(artifact).url)

    assert response.status_code == 302
    head = urllib.request.Request(response["Location"], method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Length"] == str(len(DATA))
