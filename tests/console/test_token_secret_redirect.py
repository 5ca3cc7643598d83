"""A new API token's secret comes by POST-redirect-GET: the POST answers a redirect,
the page it leads to shows the secret once, and reloading that page neither shows it
again nor makes a second token."""

from __future__ import annotations

import pytest

from iris.governance.models import ApiToken
from iris.governance.tokens import digest
from tests.console.conftest import csrf_post

pytestmark = pytest.mark.django_db(transaction=True)


def shown_secret(page: str) -> str | None:
    marker = 'id="new-secret" value="'
    if marker not in page:
        return None
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_the_secret_is_shown_once_after_a_redirect(clients) -> None:
    viewer = clients["viewer"]
    made = csrf_post(viewer, "/console/tokens/create", {"name": "laptop"})
    assert made.status_code == 302
    assert made["Location"] == "/console/users/"
    assert 'id="new-secret"' not in made.content.decode()
    shown = viewer.get(made["Location"])
    assert shown["Cache-Control"] == "no-store"
    secret = shown_secret(shown.content.decode())
    assert secret is not None
    (token,) = ApiToken.objects.filter(name="laptop")
    assert token.digest == digest(secret)
    again = viewer.get(made["Location"]).content.decode()
    assert shown_secret(again) is None
    assert secret not in again
    assert token.prefix in again  # listed, without its secret
    assert ApiToken.objects.filter(name="laptop").count() == 1


def test_the_secret_is_not_shown_in_another_session(clients) -> None:
    csrf_post(clients["admin"], "/console/tokens/create", {"name": "ci", "owner": "viewer"})
    assert shown_secret(clients["viewer"].get("/console/users/").content.decode()) is None
    assert shown_secret(clients["admin"].get("/console/users/").content.decode()) is not None
