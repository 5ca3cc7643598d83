"""Users and API tokens: admins make users, change their role and teams, deactivate
them; everyone lists, makes (the secret shown once) and revokes their own tokens, and
admins anyone's — through iris/governance (users.py, tokens.py), which audits."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from iris.console.access import actor, can, forbidden, requires
from iris.governance.models import ApiToken, Role
from iris.governance.permissions import Permission as P
from iris.governance.tokens import NewToken, create_token, revoke_token
from iris.governance.users import (
    UserChangeError,
    create_user,
    deactivate_user,
    set_role,
    set_teams,
)

PAGE_SIZE = 50


def team_names(text: str) -> list[str]:
    """``"alpha, beta"`` → ``["alpha", "beta"]`` (order kept, repeats and blanks gone)."""
    return list(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))


class TeamsField(forms.CharField):
    def clean(self, value: Any) -> list[str]:
        names = team_names(super().clean(value) or "")
        if any(len(name) > 100 for name in names):
            raise forms.ValidationError("a team name is at most 100 characters")
        return names


class UserForm(forms.Form):
    username = forms.CharField(label="User name", max_length=150)
    email = forms.EmailField(label="Email", required=False)
    # No role preselected: the first of Role.choices is admin, so a form sent without a
    # look at the select would make an admin. The blank choice fails validation.
    role = forms.ChoiceField(label="Role", choices=[("", "choose a role"), *Role.choices])
    teams = TeamsField(label="Teams", required=False, help_text="comma-separated")
    password = forms.CharField(
        label="Password (empty: API tokens only, no console sign-in)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class UserChangeForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    teams = TeamsField(label="Teams", required=False, help_text="comma-separated")


class TokenForm(forms.Form):
    name = forms.CharField(label="Token name", max_length=100)
    valid_until = forms.DateField(
        label="Valid until (day, included; empty: no end)", required=False
    )
    owner = forms.CharField(label="For user (empty: yourself)", required=False, max_length=150)

    def clean_valid_until(self) -> datetime | None:
        day = self.cleaned_data["valid_until"]
        if day is None:
            return None
        ends = timezone.make_aware(datetime.combine(day, time.min)) + timedelta(days=1)
        if ends <= timezone.now():
            raise forms.ValidationError("that day is over")
        return ends


def _tokens(request: HttpRequest) -> Any:
    tokens = ApiToken.objects.select_related("user")
    if can(request.user, P.TOKEN_MANAGE):
        return tokens
    return tokens.filter(user=cast(User, request.user))  # signed in: requires() saw to it


def _page(request: HttpRequest, **extra: Any) -> HttpResponse:
    tokens = Paginator(_tokens(request), PAGE_SIZE).get_page(request.GET.get("tokens_page"))
    context: dict[str, Any] = {
        "section": "users",
        "tokens": tokens,
        "token_form": TokenForm(auto_id="token-%s"),
        "now": timezone.now(),
    }
    if can(request.user, P.USER_MANAGE):
        users = get_user_model().objects.select_related("iris_profile")
        users = users.prefetch_related("iris_profile__teams").order_by("username")
        context["users"] = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
        context["user_form"] = UserForm(auto_id="new-user-%s")
        context["roles"] = Role.choices
    return render(request, "console/records/users.html", context | extra)


@requires(P.TOKEN_OWN)
def users(request: HttpRequest) -> HttpResponse:
    made = _new_token(request)
    if made is None:
        return _page(request)
    response = _page(request, new_token=made)
    response["Cache-Control"] = "no-store"  # the secret must not stay in a cache
    return response


#: the session key that carries a new token's secret from its POST to the one page
#: that shows it (then it is gone: a reload shows the list alone)
NEW_TOKEN = "console.new_token"


def _new_token(request: HttpRequest) -> NewToken | None:
    kept = request.session.pop(NEW_TOKEN, None)
    if not isinstance(kept, dict) or not isinstance(kept.get("id"), int):
        return None
    token = ApiToken.objects.select_related("user").filter(pk=kept["id"]).first()
    return NewToken(token, str(kept.get("secret", ""))) if token else None


def _form_errors(form: forms.Form) -> str:
    return "; ".join(f"{name}: {' '.join(map(str, errs))}" for name, errs in form.errors.items())


@require_POST
@requires(P.USER_MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST, auto_id="new-user-%s")
    if not form.is_valid():
        messages.error(request, f"no user was made: {_form_errors(form)}")
        return redirect("console:users")
    data = form.cleaned_data
    try:
        made = create_user(
            data["username"], data["role"], data["teams"], actor(request),
            email=data["email"], password=data["password"] or None,
        )  # fmt: skip
    except UserChangeError as exc:
        messages.error(request, f"no user was made: {exc}")
    else:
        messages.success(request, f"made {made.get_username()} ({data['role']})")
    return redirect("console:users")


def _other_user(request: HttpRequest, user_id: int) -> User | None:
    """The user to change, or None (with a message) for one's own account: an admin
    never demotes or deactivates themselves by accident (the API refuses it too)."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    if user.pk == request.user.pk:
        messages.error(request, "you cannot change your own account here")
        return None
    return user


@require_POST
@requires(P.USER_MANAGE)
def user_change(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _other_user(request, user_id)
    form = UserChangeForm(request.POST)
    if user is None:
        return redirect("console:users")
    if not form.is_valid():
        messages.error(request, f"{user.get_username()} was not changed: {_form_errors(form)}")
        return redirect("console:users")
    who = actor(request)
    try:
        with transaction.atomic():
            set_role(user, form.cleaned_data["role"], who)
            set_teams(user, form.cleaned_data["teams"], who)
    except UserChangeError as exc:
        messages.error(request, f"{user.get_username()} was not changed: {exc}")
    else:
        messages.success(request, f"saved {user.get_username()}")
    return redirect("console:users")


@require_POST
@requires(P.USER_MANAGE)
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _other_user(request, user_id)
    if user is not None:
        revoked = deactivate_user(user, actor(request))
        messages.success(
            request, f"{user.get_username()} is deactivated ({len(revoked)} token(s) revoked)"
        )
    return redirect("console:users")


@require_POST
@requires(P.TOKEN_OWN)
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a token; the users page shows its secret once (it is kept in the session
    only until that page takes it, and never stored with the token)."""
    form = TokenForm(request.POST, auto_id="token-%s")
    if not form.is_valid():
        messages.error(request, f"no token was made: {_form_errors(form)}")
        return redirect("console:users")
    owner: Any = request.user
    name = form.cleaned_data["owner"].strip()
    if name and name != request.user.get_username():
        if not can(request.user, P.TOKEN_MANAGE):
            return forbidden(request, P.TOKEN_MANAGE)
        owner = get_user_model().objects.filter(username=name, is_active=True).first()
        if owner is None:
            messages.error(request, f"no token was made: there is no active user {name!r}")
            return redirect("console:users")
    made: NewToken = create_token(
        owner,
        form.cleaned_data["name"],
        actor(request),
        expires_at=form.cleaned_data["valid_until"],
    )
    # POST-redirect-GET: a reload of the answer must not make a second token.
    request.session[NEW_TOKEN] = {"id": made.token.pk, "secret": made.secret}
    return redirect("console:users")


@require_POST
@requires(P.TOKEN_OWN)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id)
    if token.user_id != request.user.pk and not can(request.user, P.TOKEN_MANAGE):
        return forbidden(request, P.TOKEN_MANAGE)
    revoke_token(token, actor(request))
    messages.success(request, f"revoked {token.prefix}… ({token.name})")
    return redirect("console:users")


urlpatterns = [
    path("users/", users, name="users"),
    path("users/create", user_create, name="user-create"),
    path("users/<int:user_id>/change", user_change, name="user-change"),
    path("users/<int:user_id>/deactivate", user_deactivate, name="user-deactivate"),
    path("tokens/create", token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke", token_revoke, name="token-revoke"),
]
