"""``manage.py iris_user``: users made with a role, teams and a token; role changes,
deactivation and token revocation; refusals in one line; every change audited as the
operating-system user."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from iris.governance.actions import command_line_actor
from iris.governance.models import ApiToken, AuditRecord, Profile, Team
from iris.governance.tokens import authenticate_token
from iris.governance.users import UserChangeError, UserExistsError, create_user

pytestmark = [pytest.mark.django_db, pytest.mark.everywhere]

#: the operating-system user the tests run as (getpass reads LOGNAME first)
OS_USER = "ops-alice"


@pytest.fixture(autouse=True)
def _os_user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGNAME", OS_USER)


def iris_user(*args: str, stdin: str | None = None) -> list[str]:
    out = StringIO()
    extra = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command("iris_user", *args, stdout=out, **extra)
    return out.getvalue().splitlines()


def test_create_with_role_teams_and_a_token_that_authenticates() -> None:
    lines = iris_user(
        "create", "ci", "--role", "manager", "--team", "docs", "--team", "legal",
        "--email", "ci@example.org", "--token", "--token-name", "pipeline",
    )  # fmt: skip
    assert lines[0] == "created user ci: manager, teams: docs, legal"
    token = authenticate_token(lines[-1])
    assert token is not None
    assert (token.user.username, token.name, token.expires_at) == ("ci", "pipeline", None)
    assert token.prefix in lines[-2]
    profile = Profile.objects.get(user__username="ci")
    assert profile.role == "manager"
    assert sorted(profile.teams.values_list("name", flat=True)) == ["docs", "legal"]
    assert profile.user.email == "ci@example.org"
    assert not profile.user.has_usable_password()


def test_existing_teams_are_joined_not_made_again() -> None:
    Team.objects.create(name="docs")
    iris_user("create", "ana", "--role", "viewer", "--team", "docs", "--team", "docs")
    assert Team.objects.count() == 1
    assert not AuditRecord.objects.filter(action="team.created").exists()


def test_a_password_is_read_from_standard_input() -> None:
    iris_user("create", "bob", "--role", "reviewer", "--password-from-stdin",
              stdin="correct horse battery staple\n")  # fmt: skip
    assert User.objects.get(username="bob").check_password("correct horse battery staple")
    with pytest.raises(CommandError, match="no password on standard input"):
        iris_user("create", "eve", "--role", "viewer", "--password-from-stdin", stdin="")
    assert not User.objects.filter(username="eve").exists()


def test_a_token_for_an_existing_user_with_an_expiry() -> None:
    iris_user("create", "ci", "--role", "manager")
    lines = iris_user("token", "ci", "--name", "nightly", "--expires-days", "3")
    token = authenticate_token(lines[-1])
    assert token is not None
    assert token.name == "nightly"
    assert token.expires_at is not None
    left = token.expires_at - timezone.now()
    assert timedelta(days=3) - timedelta(minutes=1) < left <= timedelta(days=3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "ci", "--role", "manager"), "user 'ci' already exists"),
        (("create", "new", "--role", "boss"), "unknown role 'boss' \\(one of admin, manager"),
        (("create", "new", "--role", "viewer", "--email", "nope"), "email: Enter a valid"),
        (("create", "a b", "--role", "viewer"), "username: Enter a valid username"),
        (("set-role", "ci", "boss"), "unknown role 'boss'"),
        (("set-role", "nobody", "viewer"), "no such user: 'nobody'"),
        (("token", "nobody"), "no such user: 'nobody'"),
        (("token", "ci", "--expires-days", "0"), "--expires-days must be 1 or more"),
        (("deactivate", "nobody"), "no such user: 'nobody'"),
        (("revoke-token", "iris_00000000"), "no token has the prefix 'iris_00000000'"),
    ],
)
def test_refusals_are_one_clear_line_and_change_nothing(
    args: tuple[str, ...], message: str
) -> None:
    iris_user("create", "ci", "--role", "manager")
    recorded = AuditRecord.objects.count()
    with pytest.raises(CommandError, match=message):
        iris_user(*args)
    assert User.objects.count() == 1
    assert Profile.objects.get().role == "manager"
    assert AuditRecord.objects.count() == recorded


def test_set_role_changes_the_role_once() -> None:
    iris_user("create", "ana", "--role", "viewer")
    assert iris_user("set-role", "ana", "reviewer") == ["ana is reviewer"]
    iris_user("set-role", "ana", "reviewer")
    changes = AuditRecord.objects.filter(action="user.role_changed")
    assert [(c.before, c.after) for c in changes] == [({"role": "viewer"}, {"role": "reviewer"})]


def test_set_role_gives_a_user_without_one_a_profile() -> None:
    User.objects.create_user("root")
    iris_user("set-role", "root", "admin")
    assert Profile.objects.get(user__username="root").role == "admin"


def test_deactivate_keeps_the_user_and_revokes_their_tokens() -> None:
    first = iris_user("create", "ci", "--role", "manager", "--token")[-1]
    second = iris_user("token", "ci")[-1]
    assert iris_user("deactivate", "ci") == ["deactivated ci; 2 tokens revoked"]
    user = User.objects.get(username="ci")
    assert not user.is_active
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert (authenticate_token(first), authenticate_token(second)) == (None, None)
    assert iris_user("deactivate", "ci") == ["deactivated ci; 0 tokens revoked"]
    assert AuditRecord.objects.filter(action="user.deactivated").count() == 1


def test_revoke_a_token_by_its_prefix() -> None:
    secret = iris_user("create", "ci", "--role", "manager", "--token")[-1]
    prefix = ApiToken.objects.get().prefix
    assert iris_user("revoke-token", prefix) == [f"revoked token {prefix} of ci"]
    assert authenticate_token(secret) is None
    assert iris_user("revoke-token", prefix) == [f"token {prefix} was already revoked"]
    assert AuditRecord.objects.filter(action="token.revoked").count() == 1


def test_list_shows_roles_teams_and_live_tokens() -> None:
    iris_user("create", "ci", "--role", "manager", "--team", "docs", "--token")
    iris_user("token", "ci")
    iris_user("revoke-token", ApiToken.objects.earliest("id").prefix)
    iris_user("create", "ana", "--role", "viewer")
    User.objects.create_user("root")
    lines = [" ".join(line.split()) for line in iris_user("list")]
    assert lines == [
        "ana viewer active teams: none; tokens: 0",
        "ci manager active teams: docs; tokens: 1",
        "root (no role) active teams: none; tokens: 0",
    ]


def test_every_change_is_audited_as_the_operating_system_user() -> None:
    iris_user("create", "ci", "--role", "manager", "--team", "docs", "--token")
    iris_user("token", "ci")
    iris_user("revoke-token", ApiToken.objects.earliest("id").prefix)
    iris_user("set-role", "ci", "admin")
    iris_user("deactivate", "ci")
    records = list(AuditRecord.objects.all())
    assert [record.action for record in records] == [
        "team.created",
        "user.created",
        "token.created",
        "token.created",
        "token.revoked",
        "user.role_changed",
        "token.revoked",
        "user.deactivated",
    ]
    actors = {(record.actor_label, record.role, record.actor_id) for record in records}
    assert actors == {(f"os:{OS_USER}", "cli", None)}
    created = records[1].after
    assert created == {
        "username": "ci", "email": "", "role": "manager", "teams": ["docs"], "password": False,
    }  # fmt: skip


def test_a_taken_name_is_told_apart_from_a_bad_request() -> None:
    create_user("ci", "manager", [], command_line_actor())
    with pytest.raises(UserExistsError):
        create_user("ci", "viewer", [], command_line_actor())
    with pytest.raises(UserChangeError) as refused:
        create_user("new", "boss", [], command_line_actor())
    assert not isinstance(refused.value, UserExistsError)
