from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "iris.glossary"
    default_auto_field = "django.db.models.BigAutoField"
