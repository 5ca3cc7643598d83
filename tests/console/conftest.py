"""The console's cast: one signed-in browser-less client per role (Django's test client
with CSRF checks on, as a browser would be held to), all in team "alpha"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iris.governance.actions import SYSTEM_ACTOR
from iris.governance.models import Role, Team
from iris.governance.users import create_user
from iris.jobs.actions import TranslationRequest, create_jobs
from iris.jobs.models import Job
from tests.api.uploads import REPORT

PASSWORD = "correct horse battery staple"
TEAM = "alpha"


def signed_in(name: str, role: Role) -> Client:
    user = create_user(name, role, [TEAM], SYSTEM_ACTOR)
    user.set_password(PASSWORD)
    user.save()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.fixture
def clients(db: Any) -> dict[str, Client]:
    return {role.value: signed_in(role.value, role) for role in Role}


def team_job(review: bool = False, **fields: Any) -> Job:
    request = TranslationRequest(
        name="report.docx",
        data=REPORT.read_bytes(),
        target_langs=["fr"],
        source_lang="en",
        engine="pseudo",
        team_id=Team.objects.get(name=TEAM).pk,
        review_required=review,
        **fields,
    )
    (job,) = create_jobs(request)
    job.refresh_from_db()
    return job


def csrf_post(client: Client, url: str, data: dict[str, Any] | None = None, **extra: Any) -> Any:
    """POST as the page's own form would: with the CSRF token of the session."""
    client.get("/console/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    return client.post(url, {**(data or {}), "csrfmiddlewaretoken": token}, **extra)
