"""Every aria-describedby of the upload form names an element of the page (a field's
help text is announced with the field only if the ids match)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.console.conftest import csrf_post

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIBED_BY = re.compile(r'aria-describedby="([^"]*)"')
ID = re.compile(r'\sid="([^"]*)"')


def missing_ids(page: str) -> set[str]:
    named = {name for value in DESCRIBED_BY.findall(page) for name in value.split()}
    return named - set(ID.findall(page))


def test_every_described_by_id_exists_on_the_upload_page(clients) -> None:
    page = clients["manager"].get("/console/upload/").content.decode()
    assert DESCRIBED_BY.search(page)  # the fields with help text point at it
    assert missing_ids(page) == set()


def test_and_on_the_page_that_refuses_an_upload(clients) -> None:
    form = {"file": SimpleUploadedFile("notes.txt", b"plain"), "target_langs": "fr"}
    page = csrf_post(clients["manager"], "/console/upload/", form).content.decode()
    assert DESCRIBED_BY.search(page)
    assert missing_ids(page) == set()
