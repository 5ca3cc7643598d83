from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "iris.ops"
    label = "ops"

    def ready(self) -> None:
        from iris.ops import checks  # noqa: F401 - registers the system checks
