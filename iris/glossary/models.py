"""Glossaries: one per language pair, its terms, and a version that every edit bumps.

Edits go through `iris.glossary.service` (which bumps the version, audits and syncs
the search backend); nothing else writes these rows.
"""

from __future__ import annotations

from django.db import models


class Glossary(models.Model):
    """The terms for one language pair. Language tags are stored as
    `iris.glossary.languages.glossary_language` gives them (BCP-47, lower case), so
    ``en-US`` and ``en_us`` name one glossary. ``version`` grows by one on every edit:
    the backends cache on it, and the engine cache keys on the terms it yields."""

    source_lang = models.CharField(max_length=35)
    target_lang = models.CharField(max_length=35)
    version = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "glossaries"
        constraints = [
            models.UniqueConstraint(
                fields=["source_lang", "target_lang"], name="glossary_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_lang} → {self.target_lang} (v{self.version})"


class GlossaryTerm(models.Model):
    """One source term and how to render it. ``targets`` are the allowed renderings,
    the first preferred; ``forbidden`` lists target-language variants the translation
    must not use; a do-not-translate term is kept as it is (its ``targets`` are empty)."""

    glossary = models.ForeignKey(Glossary, on_delete=models.CASCADE, related_name="terms")
    source = models.CharField(max_length=500)
    targets = models.JSONField(default=list, blank=True)
    part_of_speech = models.CharField(max_length=32, blank=True)
    case_sensitive = models.BooleanField(default=False)
    forbidden = models.JSONField(default=list, blank=True)
    do_not_translate = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # One row per meaning: "record" the noun and "record" the verb may differ.
            models.UniqueConstraint(
                fields=["glossary", "source", "part_of_speech"], name="glossary_term_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {' | '.join(self.targets) or '(keep)'}"
