"""What the API itself keeps: the answers to uploads sent with an Idempotency-Key."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """A job creation made with an ``Idempotency-Key``: the same key and request
    again returns these jobs instead of creating others; the same key with another
    request is refused. Written in the transaction that creates the jobs."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    #: sha256 of the document and the request's fields
    fingerprint = models.CharField(max_length=64)
    request_id = models.UUIDField(null=True)
    job_ids = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_request_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} of user {self.user_id}"
