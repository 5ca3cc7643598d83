"""The admin's "New user" form preselects no role: a form sent as it was shown (no
role chosen) makes nobody, least of all an admin."""

from __future__ import annotations

import re

import pytest

from iris.governance.models import Profile
from tests.console.conftest import csrf_post

pytestmark = pytest.mark.django_db(transaction=True)

SELECT = re.compile(r'<select name="role"[^>]*id="new-user-role"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]*)"( selected)?>')


def role_sent_by_default(page: str) -> str:
    """The role a browser sends when nobody touches the select: the selected option,
    else the first."""
    found = SELECT.search(page)
    assert found is not None
    options: list[tuple[str, str]] = OPTION.findall(found.group(1))
    chosen = [value for value, selected in options if selected]
    return chosen[0] if chosen else options[0][0]


def test_a_new_user_sent_without_choosing_a_role_is_refused(clients) -> None:
    admin = clients["admin"]
    page = admin.get("/console/users/").content.decode()
    role = role_sent_by_default(page)
    assert role == ""
    assert re.search(r'<select name="role"[^>]* required', page)  # the browser asks first
    fields = {"username": "dana", "role": role, "teams": "alpha"}
    made = csrf_post(admin, "/console/users/create", fields, follow=True)
    assert b"no user was made: role:" in made.content
    assert not Profile.objects.filter(user__username="dana").exists()
