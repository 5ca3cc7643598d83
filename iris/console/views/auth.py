"""Session sign-in and sign-out (Django auth), audited like every console action."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from iris.console.access import actor
from iris.governance.actions import record_audit


class SignIn(auth_views.LoginView):
    template_name = "console/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        record_audit(actor(self.request), "console.login", ("auth.user", str(user.pk)))
        return response


class SignOut(auth_views.LogoutView):
    next_page = "console:login"
