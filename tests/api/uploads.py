"""What API tests send and expect: an upload of a document, and an RFC 9457 problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

JOBS = "/api/v1/jobs/"
PROBLEM = "application/problem+json"
#: a real Word document (headings, a table, formatting), the one the README translates
REPORT = Path(__file__).resolve().parents[2] / "samples" / "report.docx"


def upload(
    client: APIClient,
    data: bytes | None = None,
    *,
    name: str = "report.docx",
    headers: dict[str, Any] | None = None,
    **fields: Any,
) -> Any:
    """POST a multipart upload of ``data`` (samples/report.docx by default) from English
    to French; ``fields`` add to or replace those (None leaves a field out)."""
    document = REPORT.read_bytes() if data is None else data
    body = {"file": SimpleUploadedFile(name, document), "source_lang": "en", "target_langs": "fr"}
    body |= fields
    sent = {key: value for key, value in body.items() if value is not None}
    return client.post(JOBS, sent, format="multipart", **(headers or {}))


def job_ids(response: Any) -> list[int]:
    return [job["id"] for job in response.json()["jobs"]]


def assert_problem(response: Any, status: int, kind: str | None = None) -> dict[str, Any]:
    """The response is an ``application/problem+json`` with ``status`` (and ``kind``)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"].startswith("/api/v1/problems/")
    if kind is not None:
        assert body["type"] == f"/api/v1/problems/{kind}", body
    return body
