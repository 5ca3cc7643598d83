"""On PostgreSQL the database itself refuses to change or delete an audit record, so
no client (psql, another program, a bug) can rewrite the trail. TRUNCATE stays
possible for whoever owns the table (test flushes, a deliberate purge)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION governance_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS governance_audit_append_only ON governance_auditrecord;
CREATE TRIGGER governance_audit_append_only
    BEFORE UPDATE OR DELETE ON governance_auditrecord
    FOR EACH ROW EXECUTE FUNCTION governance_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS governance_audit_append_only ON governance_auditrecord;
DROP FUNCTION IF EXISTS governance_audit_append_only();
"""


def _on_postgres(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: the % in the function is no placeholder

    return run


class Migration(migrations.Migration):
    dependencies = [("governance", "0002_roles_tokens_audit")]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP))]
