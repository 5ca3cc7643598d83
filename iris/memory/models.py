"""The translation memory: units with provenance, and the index fuzzy lookup uses.

A unit's languages are kept as given (BCP-47) and by primary language (``fr`` for
``fr-CA``): lookups find units of the same languages and rank an exact locale first.

The fuzzy index (:class:`IndexTerm`) lists, for each index term of a unit's source
(:func:`iris.memory.scoring.index_terms`: word pairs, and the words of a short
sentence), mixed with its language pair, with the unit's core length and id, so that a
lookup reads only the units that share a query's rarest terms within the length band
the threshold allows (:mod:`iris.memory.store`). It is written with the unit in one transaction: a
unit is found by the next lookup, with nothing to rebuild.
"""

from __future__ import annotations

from django.db import models


class UnitStatus(models.TextChoices):
    #: made from a job's translation: found and shown, not applied without the engine
    CANDIDATE = "candidate"
    #: approved (by a manager, or by policy after review): reused without the engine
    PROMOTED = "promoted"


class TranslationUnit(models.Model):
    source = models.TextField(help_text="tagged")
    source_plain = models.TextField()
    target = models.TextField(help_text="tagged")
    source_lang = models.CharField(max_length=35)
    target_lang = models.CharField(max_length=35)
    source_base = models.CharField(max_length=8)
    target_base = models.CharField(max_length=8)
    #: sha-256 (hex, first 32) of the tagged source: exact matches
    source_hash = models.CharField(max_length=32)
    #: the previous and next source around the segment it came from (101 % matches)
    context_hash = models.CharField(max_length=32, blank=True)
    #: languages, source, target and context: one unit per distinct translation
    key = models.CharField(max_length=32, unique=True)
    #: length of the source's core (:func:`iris.memory.scoring.shape`)
    length = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=UnitStatus.choices, default=UnitStatus.CANDIDATE
    )
    #: native inline codes from an imported TMX, by tag ("g1", "/g1", "x2")
    codes = models.JSONField(default=dict, blank=True)
    # --- provenance
    # No index of its own (nor on engine or reviewer): a unit is written with the
    # three indexes lookups need and no more — at a million units each index costs an
    # import more than the rare scan by job, engine or reviewer (promotion, revocation)
    # costs the manager who asks for it.
    origin_job = models.ForeignKey(
        "jobs.Job",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_index=False,
        db_constraint=False,  # a deleted job's units keep its number as provenance
    )
    origin_segment = models.PositiveIntegerField(null=True, blank=True, help_text="its order")
    engine = models.CharField(max_length=64, blank=True)
    engine_model = models.CharField(max_length=128, blank=True)
    glossary_version = models.PositiveIntegerField(null=True, blank=True)
    reviewer = models.CharField(max_length=150, blank=True)
    created_by = models.CharField(max_length=150, blank=True)
    created = models.DateTimeField()
    last_used = models.DateTimeField(null=True, blank=True)
    usage_count = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    props = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "memory_unit"
        indexes = [models.Index(fields=["source_hash"], name="memory_unit_source_hash")]

    def __str__(self) -> str:
        return f"unit {self.pk} ({self.source_lang}->{self.target_lang}, {self.status})"


class IndexTerm(models.Model):
    """One word of one unit's source (the fuzzy index). No foreign key: the index is
    written in bulk and kept by :mod:`iris.memory.store`, which removes a unit's
    entries with it; a lookup only ever returns units that exist."""

    pk = models.CompositePrimaryKey("term", "length", "unit")
    #: the term's number mixed with its language pair's (one index for every pair)
    term = models.IntegerField()
    length = models.PositiveIntegerField()
    #: a unit id (32 bits: the narrowest entry, read by index-only scans)
    unit = models.IntegerField()

    class Meta:
        db_table = "memory_index"

    def __str__(self) -> str:
        return f"term {self.term} of unit {self.unit}"


class ShortUnit(models.Model):
    """The core of each short unit (iris/memory/short.py scans them for short queries)."""

    unit = models.BigIntegerField(primary_key=True)
    pair = models.IntegerField()
    length = models.PositiveIntegerField()
    core = models.CharField(max_length=64)

    class Meta:
        db_table = "memory_short"
        indexes = [models.Index(fields=["pair", "unit"], name="memory_short_pair")]

    def __str__(self) -> str:
        return f"short unit {self.unit}"
