"""Who may call what: every /api/v1 endpoint, every role and anonymous, against the
real endpoints. The expected sets are written here by hand from DESIGN.md §6; an
endpoint the API serves without an entry here fails the test, and so does an entry
for an endpoint the API no longer serves."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import AuditRecord
from iris.governance.tokens import create_token
from iris.review.models import ReviewImport
from tests.api.conftest import Member
from tests.support import ROOT

pytestmark = pytest.mark.everywhere

ROLES = ("admin", "manager", "reviewer", "viewer")
EVERYONE = frozenset(ROLES)
MANAGERS = frozenset({"admin", "manager"})
REVIEWERS = frozenset({"admin", "manager", "reviewer"})
ADMINS = frozenset({"admin"})
ANONYMOUS = "anonymous"
PUBLIC = EVERYONE | {ANONYMOUS}

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/api/v1/jobs/"): EVERYONE,
    ("POST", "/api/v1/jobs/"): MANAGERS,
    ("GET", "/api/v1/jobs/{id}/"): EVERYONE,
    ("PATCH", "/api/v1/jobs/{id}/"): MANAGERS,
    ("POST", "/api/v1/jobs/{id}/pause/"): MANAGERS,
    ("POST", "/api/v1/jobs/{id}/resume/"): MANAGERS,
    ("POST", "/api/v1/jobs/{id}/cancel/"): MANAGERS,
    ("POST", "/api/v1/jobs/{id}/retry/"): MANAGERS,
    ("GET", "/api/v1/jobs/{id}/segments/"): EVERYONE,
    ("GET", "/api/v1/jobs/{id}/artifacts/"): EVERYONE,
    ("GET", "/api/v1/jobs/{id}/review/"): EVERYONE,
    ("POST", "/api/v1/jobs/{id}/review/export/"): REVIEWERS,
    ("POST", "/api/v1/jobs/{id}/review/import/"): REVIEWERS,
    ("GET", "/api/v1/jobs/{id}/review/imports/{import_id}/"): EVERYONE,
    ("PATCH", "/api/v1/jobs/{id}/segments/{order}/"): REVIEWERS,
    ("POST", "/api/v1/jobs/{id}/segments/{order}/waive/"): REVIEWERS,
    ("POST", "/api/v1/jobs/{id}/deliver/"): MANAGERS,
    ("GET", "/api/v1/users/"): ADMINS,
    ("POST", "/api/v1/users/"): ADMINS,
    ("GET", "/api/v1/users/{id}/"): ADMINS,
    ("PATCH", "/api/v1/users/{id}/"): ADMINS,
    ("GET", "/api/v1/teams/"): EVERYONE,
    ("POST", "/api/v1/teams/"): ADMINS,
    ("GET", "/api/v1/tokens/"): EVERYONE,
    ("POST", "/api/v1/tokens/"): EVERYONE,
    ("GET", "/api/v1/tokens/{id}/"): EVERYONE,
    ("DELETE", "/api/v1/tokens/{id}/"): EVERYONE,
    ("GET", "/api/v1/audit/"): MANAGERS,
    ("GET", "/api/v1/audit/{id}/"): MANAGERS,
    # The description of the API, like health, is public (it holds no data).
    ("GET", "/api/v1/schema"): PUBLIC,
    ("GET", "/api/v1/docs"): PUBLIC,
}

#: served outside the schema (the schema does not describe itself)
UNDESCRIBED = {("GET", "/api/v1/schema"), ("GET", "/api/v1/docs")}


def served_endpoints() -> set[tuple[str, str]]:
    generator: Any = SchemaGenerator  # drf-spectacular has no type hints
    schema = generator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
    } | UNDESCRIBED


def test_every_served_endpoint_has_an_entry_and_every_entry_is_served() -> None:
    served = served_endpoints()
    assert served - set(EXPECTED) == set(), "endpoints without a matrix entry"
    assert set(EXPECTED) - served == set(), "matrix entries for endpoints not served"


class Objects:
    """The rows each request names, all within the callers' scope."""

    def __init__(self, cast: dict[str, Member]) -> None:
        upload = SimpleUploadedFile("report.docx", (ROOT / "samples" / "report.docx").read_bytes())
        answer = cast["manager"].client.post(
            "/api/v1/jobs/", {"file": upload, "target_langs": "fr"}, format="multipart"
        )
        assert answer.status_code == 201, answer.content
        self.job = answer.json()["jobs"][0]["id"]
        self.user = cast["viewer"].user.pk
        self.audit = AuditRecord.objects.latest("id").pk
        self.review_import = ReviewImport.objects.create(job_id=self.job).pk
        self.cast = cast

    def path(self, template: str, who: str) -> str:
        ident = {"/jobs/": self.job, "/users/": self.user, "/audit/": self.audit}
        for prefix, value in ident.items():
            if template.startswith(f"/api/v1{prefix}"):
                template = template.replace("{order}", "0")
                template = template.replace("{import_id}", str(self.review_import))
                return template.replace("{id}", str(value))
        if template.startswith("/api/v1/tokens/"):
            return template.replace("{id}", str(self._own_token(who)))
        return template

    def _own_token(self, who: str) -> int:
        # A fresh token of the caller's own (or the viewer's for anonymous): a DELETE
        # revokes it, never the token the caller authenticates with.
        owner = self.cast[who if who in self.cast else "viewer"].user
        return create_token(owner, "matrix", SYSTEM_ACTOR).token.pk


def _call(client: APIClient, method: str, path: str) -> Any:
    return getattr(client, method.lower())(path, {}, format="json")


@pytest.mark.parametrize(("method", "template"), sorted(EXPECTED))
def test_exactly_the_expected_roles_may_call(
    cast: dict[str, Member], anonymous: APIClient, method: str, template: str
) -> None:
    objects = Objects(cast)
    allowed = set()
    for who in (*ROLES, ANONYMOUS):
        client = anonymous if who == ANONYMOUS else cast[who].client
        answer = _call(client, method, objects.path(template, who))
        assert answer.status_code < 500, (who, answer.status_code, answer.content)
        if answer.status_code in (401, 403):
            expected_status = 401 if who == ANONYMOUS else 403
            assert answer.status_code == expected_status, (who, answer.content)
        else:
            assert answer.status_code != 404, (who, "an object in scope was not found")
            allowed.add(who)
    assert allowed == set(EXPECTED[(method, template)])
