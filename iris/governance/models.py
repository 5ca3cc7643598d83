"""Who may do what (roles, teams, API tokens) and the audit trail of what they did."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """DESIGN.md §6; what each may do is the matrix in iris/governance/permissions.py."""

    ADMIN = "admin", "admin (configuration, users, policies)"
    MANAGER = "manager", "manager (jobs, control, memory, glossaries)"
    REVIEWER = "reviewer", "reviewer (review)"
    VIEWER = "viewer", "viewer (read)"


class Team(models.Model):
    """A team owns jobs: everyone but an admin sees only the jobs of their teams."""

    name = models.CharField(max_length=100, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """A user's role and teams. A user without one has no role: the API refuses them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="iris_profile"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    teams = models.ManyToManyField(Team, blank=True, related_name="profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ApiToken(models.Model):
    """A secret that authenticates API calls as its user. Only its sha256 is kept: the
    secret is shown once, when it is made. ``prefix`` names it in lists and logs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name}) of {self.user}"


class AppendOnlyError(RuntimeError):
    """Audit records are evidence: they are never changed or deleted."""


class AuditQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records cannot be changed")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("audit records cannot be deleted")


class AuditRecord(models.Model):
    """One audited action. ``actor`` is empty for the system and for the command line
    (``actor_label`` then says ``system`` or the operating-system user).

    Append-only: the model refuses updates and deletes, and on PostgreSQL a trigger
    refuses them too (migration 0003), whatever client sends them."""

    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: a user with a trail is deactivated, never deleted (that would rewrite it).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField(max_length=150)
    role = models.CharField(max_length=16, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, db_index=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit records cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("audit records cannot be deleted")
