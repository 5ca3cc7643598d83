"""``python manage.py schema_snapshot``: rewrite the SQLite schema snapshot (see
`iris.ops.schema`) after adding or changing a migration."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from iris.ops.schema import SNAPSHOT, dump_migrated_schema, recorded_migrations


class Command(BaseCommand):
    help = "Rewrite the schema snapshot a new SQLite database is created from."

    def handle(self, *args: Any, **options: Any) -> None:
        sql = dump_migrated_schema()
        SNAPSHOT.write_text(sql, encoding="utf-8")
        self.stdout.write(f"wrote {SNAPSHOT.name}: {len(recorded_migrations(sql))} migrations")
