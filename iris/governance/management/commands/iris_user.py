"""``python manage.py iris_user``: users, roles, teams and API tokens.

    iris_user create NAME --role ROLE [--team TEAM …] [--email E] [--password-from-stdin]
                          [--token [--token-name N] [--token-expires-days D]]
    iris_user token NAME [--name N] [--expires-days D]
    iris_user revoke-token PREFIX
    iris_user set-role NAME ROLE
    iris_user deactivate NAME
    iris_user list

A new token's secret is the last line of the output, alone, so a script can keep it:
``TOKEN=$(python manage.py iris_user create ci --role manager --token | tail -1)``.
Every change is audited as the person at the command line (their operating-system
user); every failure is one line and a non-zero exit (CommandError).
"""

from __future__ import annotations

import sys
from datetime import timedelta
from typing import TYPE_CHECKING, Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, CommandParser
from django.db.models import Count, Q
from django.utils import timezone

from iris.governance.actions import command_line_actor
from iris.governance.models import ApiToken, Role
from iris.governance.tokens import NewToken, create_token, revoke_token
from iris.governance.users import UserChangeError, create_user, deactivate_user, set_role
from iris.ops.schema import SchemaCommand

if TYPE_CHECKING:  # the configured user model (get_user_model() at run time)
    from django.contrib.auth.models import User

ROLES = ", ".join(Role.values)


def _token_options(parser: CommandParser, prefix: str) -> None:
    parser.add_argument(f"--{prefix}name", default="default", help="what the token is for")
    parser.add_argument(
        f"--{prefix}expires-days", type=int, metavar="D", help="expires in D days (default: never)"
    )


class Command(SchemaCommand):
    help = "Manage users: create, token, revoke-token, set-role, deactivate, list."
    #: tests hand the password over as a stream (call_command(..., stdin=StringIO()))
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="make a user with a role")
        create.add_argument("username")
        create.add_argument("--role", required=True, help=f"one of {ROLES}")
        create.add_argument("--team", action="append", default=[], help="a team (made if new)")
        create.add_argument("--email", default="")
        create.add_argument(
            "--password-from-stdin", action="store_true", help="read a password (else: none)"
        )
        create.add_argument("--token", action="store_true", help="print a new API token")
        _token_options(create, "token-")
        token = commands.add_parser("token", help="print a new API token for a user")
        token.add_argument("username")
        _token_options(token, "")
        revoke = commands.add_parser("revoke-token", help="revoke a token")
        revoke.add_argument("prefix", help="its prefix, as `list` or its creation showed it")
        role = commands.add_parser("set-role", help="change a user's role")
        role.add_argument("username")
        role.add_argument("role", help=f"one of {ROLES}")
        deactivate = commands.add_parser("deactivate", help="stop a user and revoke their tokens")
        deactivate.add_argument("username")
        commands.add_parser("list", help="users, roles, teams and live tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except UserChangeError as exc:
            raise CommandError(str(exc)) from exc

    def _create(self, options: dict[str, Any]) -> None:
        password = None
        if options["password_from_stdin"]:
            password = _read_password(options.get("stdin") or sys.stdin)
        user = create_user(
            options["username"],
            options["role"],
            options["team"],
            command_line_actor(),
            email=options["email"],
            password=password,
        )
        teams = ", ".join(sorted(set(options["team"]))) or "none"
        self.stdout.write(f"created user {user.get_username()}: {options['role']}, teams: {teams}")
        if options["token"]:
            self._new_token(user, options["token_name"], options["token_expires_days"])

    def _token(self, options: dict[str, Any]) -> None:
        self._new_token(_user(options["username"]), options["name"], options["expires_days"])

    def _new_token(self, user: User, name: str, days: int | None) -> None:
        if days is not None and days < 1:
            raise CommandError("--expires-days must be 1 or more")
        expires = timezone.now() + timedelta(days=days) if days is not None else None
        made: NewToken = create_token(user, name, command_line_actor(), expires_at=expires)
        until = f"expires {expires:%Y-%m-%d %H:%M} UTC" if expires else "never expires"
        self.stdout.write(
            f"token {made.token.prefix} {name!r} of {user.get_username()} ({until}); "
            "it is shown only now:"
        )
        self.stdout.write(made.secret)

    def _revoke_token(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"]
        found = list(ApiToken.objects.filter(prefix=prefix)[:2])
        if not found:
            raise CommandError(f"no token has the prefix {prefix!r}")
        if len(found) > 1:
            raise CommandError(f"several tokens have the prefix {prefix!r}; revoke them in the API")
        token = found[0]
        if token.revoked_at is not None:
            self.stdout.write(f"token {prefix} was already revoked")
            return
        revoke_token(token, command_line_actor())
        self.stdout.write(f"revoked token {prefix} of {token.user.get_username()}")

    def _set_role(self, options: dict[str, Any]) -> None:
        user = _user(options["username"])
        profile = set_role(user, options["role"], command_line_actor())
        self.stdout.write(f"{user.get_username()} is {profile.role}")

    def _deactivate(self, options: dict[str, Any]) -> None:
        user = _user(options["username"])
        revoked = deactivate_user(user, command_line_actor())
        self.stdout.write(f"deactivated {user.get_username()}; {len(revoked)} tokens revoked")

    def _list(self, options: dict[str, Any]) -> None:
        now = timezone.now()
        live = Q(api_tokens__revoked_at__isnull=True) & (
            Q(api_tokens__expires_at__isnull=True) | Q(api_tokens__expires_at__gt=now)
        )
        users = (
            get_user_model()
            .objects.select_related("iris_profile")
            .prefetch_related("iris_profile__teams")
            .annotate(live_tokens=Count("api_tokens", filter=live))
            .order_by("username")
        )
        for user in users:
            self.stdout.write(_describe(user, user.live_tokens))


def _describe(user: User, live_tokens: int) -> str:
    profile = getattr(user, "iris_profile", None)
    role = profile.role if profile is not None else "(no role)"
    teams = ", ".join(team.name for team in profile.teams.all()) if profile else ""
    state = "active" if user.is_active else "inactive"
    return (
        f"{user.get_username():<20} {role:<10} {state:<9} "
        f"teams: {teams or 'none'}; tokens: {live_tokens}"
    )


def _user(name: str) -> User:
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise CommandError(f"no such user: {name!r}")
    return user


def _read_password(stream: TextIO) -> str:
    """The first line of ``stream``, without its line end (a password may hold spaces)."""
    password = stream.readline().rstrip("\r\n")
    if not password:
        raise CommandError("--password-from-stdin: no password on standard input")
    return password
