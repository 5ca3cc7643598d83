"""The people of Iris: made with a role and teams, their role changed, deactivated.

Each function validates, changes rows in one transaction and writes its audit record in
it; ``manage.py iris_user`` and the API call them, nothing else changes a user's role.
A user is never deleted: their audit records name them (``AuditRecord.actor`` is
PROTECT), so leaving is deactivation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from iris.governance.actions import Actor, record_audit
from iris.governance.models import ApiToken, Profile, Role, Team
from iris.governance.tokens import revoke_token

if TYPE_CHECKING:  # the configured user model (get_user_model() at run time)
    from django.contrib.auth.models import User


class UserChangeError(ValueError):
    """A change refused as asked (an unknown role, a name already taken, a bad
    password): the message says why, in one line."""


class UserExistsError(UserChangeError):
    """The name is taken (the API answers 409 to this one, 400 to the others)."""


def parse_role(value: str) -> Role:
    """The role named ``value``, or :class:`UserChangeError` listing the roles."""
    try:
        return Role(value)
    except ValueError:
        known = ", ".join(Role.values)
        raise UserChangeError(f"unknown role {value!r} (one of {known})") from None


def create_user(
    name: str,
    role: Role | str,
    teams: Sequence[str],
    actor: Actor,
    *,
    email: str = "",
    password: str | None = None,
) -> User:
    """Make user ``name`` with ``role`` in ``teams`` (teams missing are made). Without
    a password the user cannot log in with one: they use API tokens."""
    chosen = parse_role(role)
    user = _new_user(name, email, password)
    try:
        with transaction.atomic():
            user.save()
            profile = Profile.objects.create(user=user, role=chosen)
            profile.teams.add(*(_team(team_name, actor) for team_name in dict.fromkeys(teams)))
            record_audit(
                actor,
                "user.created",
                user,
                after={
                    "username": name,
                    "email": user.email,
                    "role": chosen.value,
                    "teams": sorted(set(teams)),
                    "password": password is not None,
                },
            )
    except IntegrityError:  # made by someone else since _new_user looked
        raise UserExistsError(f"user {name!r} already exists") from None
    return user


def _new_user(name: str, email: str, password: str | None) -> User:
    """An unsaved user, validated as the admin site would (name, email, password)."""
    model = get_user_model()
    if model.objects.filter(username=name).exists():
        raise UserExistsError(f"user {name!r} already exists")
    user = model(username=name, email=model.objects.normalize_email(email))
    try:
        user.full_clean(exclude=["password"])
        if password is None:
            user.set_unusable_password()
        else:
            validate_password(password, user)
            user.set_password(password)
    except ValidationError as exc:
        raise UserChangeError(_one_line(exc)) from None
    return user


def _one_line(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items())
    return " ".join(error.messages)


def _team(name: str, actor: Actor) -> Team:
    team, created = Team.objects.get_or_create(name=name)
    if created:
        record_audit(actor, "team.created", team, after={"name": name})
    return team


def set_role(user: User, role: Role | str, actor: Actor) -> Profile:
    """Give ``user`` the role ``role`` (a user without a profile gets one); setting the
    role they have changes nothing and records nothing."""
    chosen = parse_role(role)
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user=user).first()
        before = profile.role if profile is not None else ""
        if profile is None:
            profile = Profile.objects.create(user=user, role=chosen)
        elif before == chosen:
            return profile
        else:
            profile.role = chosen
            profile.save(update_fields=["role"])
        record_audit(
            actor, "user.role_changed", user, before={"role": before}, after={"role": chosen.value}
        )
    return profile


def set_teams(user: User, names: Sequence[str], actor: Actor) -> bool:
    """Put ``user`` in exactly the teams ``names`` (teams missing are made); whether
    anything changed. Audited as ``user.teams_changed``."""
    wanted = sorted(set(names))
    with transaction.atomic():
        profile = Profile.objects.select_for_update().filter(user=user).first()
        if profile is None:
            raise UserChangeError(f"{user.get_username()} has no role yet: give them one first")
        before = sorted(profile.teams.values_list("name", flat=True))
        if before == wanted:
            return False
        profile.teams.set([_team(name, actor) for name in wanted])
        record_audit(
            actor, "user.teams_changed", user, before={"teams": before}, after={"teams": wanted}
        )
    return True


def deactivate_user(user: User, actor: Actor) -> list[ApiToken]:
    """Stop ``user``: they can no longer log in and each of their live tokens is
    revoked (each audited). Returns the tokens revoked; deactivating an inactive user
    with no live token changes nothing and records nothing."""
    model = get_user_model()
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=user.pk)
        live = list(ApiToken.objects.filter(user=locked, revoked_at__isnull=True))
        was_active = locked.is_active
        if not was_active and not live:
            return []
        for token in live:
            revoke_token(token, actor)
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        record_audit(
            actor,
            "user.deactivated",
            locked,
            before={"is_active": was_active},
            after={"is_active": False, "revoked_tokens": [token.prefix for token in live]},
        )
    user.is_active = False
    return live
