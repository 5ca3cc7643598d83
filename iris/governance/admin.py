"""The internal support surface for governance: audit records and tokens are read,
never edited there (audit records are append-only; tokens change through `iris_user`
or the API, audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from iris.governance.models import ApiToken, AuditRecord, Profile, Team

if TYPE_CHECKING:  # generic only in django-stubs, not at run time
    ModelAdmin = admin.ModelAdmin[models.Model]
else:
    ModelAdmin = admin.ModelAdmin


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    list_display = ("created", "actor_label", "role", "action", "object_type", "object_id")
    list_filter = ("action", "role", "object_type")
    search_fields = ("actor_label", "object_id", "source_ip", "request_id")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "name", "user", "created", "expires_at", "revoked_at")


admin.site.register(Team)
admin.site.register(Profile)
