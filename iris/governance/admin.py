"""The internal support surface for governance: audit records are read, never edited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from iris.governance.models import ApiToken, AuditRecord, Profile, Team

if TYPE_CHECKING:  # generic only in django-stubs, not at run time
    AuditAdmin = admin.ModelAdmin[AuditRecord]
    TokenAdmin = admin.ModelAdmin[ApiToken]
else:
    AuditAdmin = TokenAdmin = admin.ModelAdmin


@admin.register(AuditRecord)
class AuditRecordAdmin(AuditAdmin):
    list_display = ("created", "actor_label", "role", "action", "object_type", "object_id")
    list_filter = ("action", "role", "object_type")
    search_fields = ("actor_label", "object_id", "source_ip", "request_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(TokenAdmin):
    """Tokens are made and revoked through `iris_user` or the API (audited)."""

    list_display = ("prefix", "name", "user", "created", "expires_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.register(Team)
admin.site.register(Profile)
