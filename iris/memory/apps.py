from django.apps import AppConfig


class MemoryConfig(AppConfig):
    name = "iris.memory"
    default_auto_field = "django.db.models.BigAutoField"
