"""Artifacts keep their bytes with a checksum on every storage backend; a damaged or
missing object is an error, never a file served."""

from __future__ import annotations

import hashlib
import tracemalloc

import pytest
from django.core.files.storage import default_storage

from iris.artifacts.models import Artifact, ArtifactKind
from iris.artifacts.storage import (
    CHUNK,
    NAME_BYTES,
    ArtifactIntegrityError,
    ArtifactMissingError,
    fitted_name,
    open_artifact,
    read_artifact,
    store_artifact,
    store_json,
)
from tests.artifacts.helpers import make_job, overwrite_object
from tests.s3 import S3Server

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_store_records_checksum_size_type_and_name(backend: str) -> None:
    job = make_job()
    data = b"PK\x03\x04 a document" * 100
    artifact = store_artifact(job, ArtifactKind.SOURCE, "Q3 report.docx", data)
    artifact.refresh_from_db()
    assert artifact.sha256 == hashlib.sha256(data).hexdigest()
    assert (artifact.size, artifact.content_type, artifact.name) == (
        len(data),
        DOCX,
        "Q3 report.docx",
    )
    assert artifact.storage_name.startswith(f"jobs/{job.uuid}/source/")
    assert read_artifact(artifact) == data


@pytest.mark.parametrize(
    "name",
    [
        "四半期サービス報告書" * 9 + ".docx",  # 95 characters, 275 bytes
        "a" * 250 + ".zh-Hant.docx",  # a 250-character upload's delivery name
    ],
)
def test_a_name_too_long_for_a_file_system_is_stored_shortened(backend: str, name: str) -> None:
    """Uploads are checked in characters; a file system counts bytes. The stem is cut,
    the extensions stay, on disk (or in the key) and in the name shown."""
    job = make_job()
    artifact = store_artifact(job, ArtifactKind.DELIVERY, name, b"PK\x03\x04 translated")
    artifact.refresh_from_db()
    on_disk = artifact.storage_name.rsplit("/", 1)[1]
    assert len(on_disk.encode()) <= NAME_BYTES
    assert len(artifact.name) <= 255
    for shown in (on_disk, artifact.name):
        assert shown.endswith(".zh-Hant.docx" if "zh-Hant" in name else ".docx")
        assert name.startswith(shown[: len(shown) // 2])  # the beginning is kept
    assert read_artifact(artifact) == b"PK\x03\x04 translated"


def test_fitted_name_keeps_short_names_and_cuts_whole_characters() -> None:
    assert fitted_name("report.fr.docx") == "report.fr.docx"
    cut = fitted_name("é" * 200 + ".docx", utf8_bytes=255)
    assert cut == "é" * 125 + ".docx"  # 250 + 5 bytes, no character split
    assert fitted_name("x" * 300) == "x" * 255  # no extension: cut at the end


def test_json_artifact_round_trips(backend: str) -> None:
    artifact = store_json(make_job(), ArtifactKind.MANIFEST, "manifest.json", {"units": ["é"]})
    assert artifact.content_type == "application/json"
    assert read_artifact(artifact) == '{"units":["é"]}'.encode()


def test_same_bytes_again_keep_one_row_and_one_object(backend: str) -> None:
    job = make_job()
    first = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"same")
    second = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"same")
    assert second.pk == first.pk
    assert Artifact.all_objects.filter(job=job).count() == 1
    folder = first.storage_name.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == ["a.docx"]


def test_a_partial_object_under_the_same_name_is_replaced(backend: str) -> None:
    # A copy interrupted mid-object (a torn backup restored) holds the name of the
    # bytes it lacks: storing those bytes again must not adopt it.
    job = make_job()
    artifact = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"whole document")
    overwrite_object(artifact.storage_name, b"whole")
    again = store_artifact(job, ArtifactKind.SOURCE, "a.docx", b"whole document")
    assert read_artifact(again) == b"whole document"


def test_changed_bytes_are_refused(backend: str) -> None:
    artifact = store_artifact(make_job(), ArtifactKind.DELIVERY, "a.fr.docx", b"translated")
    overwrite_object(artifact.storage_name, b"tampered!!")
    with pytest.raises(ArtifactIntegrityError, match="does not match its checksum"):
        read_artifact(artifact)
    with pytest.raises(ArtifactIntegrityError), open_artifact(artifact):
        pytest.fail("a damaged object was opened")


def test_missing_object_is_refused(backend: str) -> None:
    artifact = store_artifact(make_job(), ArtifactKind.DELIVERY, "a.fr.docx", b"translated")
    default_storage.delete(artifact.storage_name)
    with pytest.raises(ArtifactMissingError, match="its object is missing"):
        read_artifact(artifact)


def test_open_artifact_hands_over_the_verified_object_from_its_start(backend: str) -> None:
    data = bytes(range(256)) * (CHUNK // 256 * 3 + 7)  # over three chunks
    artifact = store_artifact(make_job(), ArtifactKind.DELIVERY, "big.fr.docx", data)
    with open_artifact(artifact) as handle:
        first = handle.read(CHUNK)
        rest = handle.read()
    assert first + rest == data


def test_large_artifact_is_verified_without_holding_it_in_memory(backend: str) -> None:
    # S3 downloads in parts spooled to disk: memory is bounded by the part buffers
    # (about 25 MB measured at 128 MB), not by the object's size.
    size = 96 * 2**20
    artifact = store_artifact(make_job(), ArtifactKind.DELIVERY, "big.fr.docx", b"x" * size)
    tracemalloc.start()
    try:
        with open_artifact(artifact) as handle:
            assert len(handle.read(CHUNK)) == CHUNK
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < size / 2


def test_s3_objects_are_in_the_bucket(s3_storage: S3Server) -> None:
    artifact = store_artifact(make_job(), ArtifactKind.SOURCE, "a.docx", b"in the bucket")
    assert s3_storage.keys("jobs/") == [artifact.storage_name]
    body = s3_storage.client().get_object(Bucket=s3_storage.bucket, Key=artifact.storage_name)
    assert body["Body"].read() == b"in the bucket"
