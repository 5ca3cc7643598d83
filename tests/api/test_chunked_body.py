"""A body sent without Content-Length (Transfer-Encoding: chunked) is refused with
411, naming the header: Django reads such a body as empty, which made an upload answer
"No file was submitted", a false reason."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import Member
from tests.api.uploads import JOBS, REPORT, assert_problem

Cast = dict[str, Member]


def test_a_chunked_upload_is_411(cast: Cast) -> None:
    body = {"file": SimpleUploadedFile("report.docx", REPORT.read_bytes()), "target_langs": "fr"}
    # What gunicorn hands Django for a chunked request: the header, no length.
    chunked: dict[str, Any] = {"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": ""}
    response = cast["manager"].client.post(JOBS, body, format="multipart", **chunked)
    problem = assert_problem(response, 411, "length-required")
    assert "Content-Length" in problem["detail"]


def test_a_chunked_json_body_is_411(cast: Cast) -> None:
    chunked: dict[str, Any] = {"HTTP_TRANSFER_ENCODING": "chunked", "CONTENT_LENGTH": ""}
    client = cast["admin"].client
    response = client.post("/api/v1/teams/", {"name": "gamma"}, format="json", **chunked)
    assert_problem(response, 411, "length-required")


def test_a_post_without_a_body_needs_no_length(cast: Cast) -> None:
    response = cast["manager"].client.post(f"{JOBS}999999/pause/", CONTENT_LENGTH="")
    assert_problem(response, 404)
