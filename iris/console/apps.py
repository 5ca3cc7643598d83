from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "iris.console"
    default_auto_field = "django.db.models.BigAutoField"
