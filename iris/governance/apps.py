from __future__ import annotations

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "iris.governance"
    label = "governance"
