"""/api/v1/audit: the trail, read-only (it is append-only everywhere)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import mixins

from iris.api.filters import IpAddressFilter, created_between
from iris.api.serializers import AuditSerializer
from iris.api.views.base import IrisViewSet
from iris.governance.models import AuditRecord
from iris.governance.permissions import Permission as P


class AuditFilter(django_filters.FilterSet):
    action = django_filters.CharFilter()
    actor = django_filters.CharFilter(field_name="actor_label")
    object_type = django_filters.CharFilter()
    object_id = django_filters.CharFilter()
    source_ip = IpAddressFilter()
    created_after, created_before = created_between()

    class Meta:
        model = AuditRecord
        fields: list[str] = []


class AuditViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IrisViewSet):
    permissions = {"list": P.AUDIT_VIEW, "retrieve": P.AUDIT_VIEW}
    serializer_class = AuditSerializer
    filterset_class = AuditFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[AuditRecord]:
        return AuditRecord.objects.all()
