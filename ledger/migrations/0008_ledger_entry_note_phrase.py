"""A ledger entry's note keeps what happened (a phrase), guarded like the rest of the entry.

Entries written before keep their note as written (they are never changed).
"""

from django.db import migrations, models

# The append-only trigger of 0006 (still current after 0007), now also refusing a change of the note's phrase.
CREATE = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger entries are never deleted (entry %)', OLD.id;
    END IF;
    -- Only the author may be cleared (an account deleted); the money never changes.
    IF NEW.shop_id IS DISTINCT FROM OLD.shop_id OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.suborder_id IS DISTINCT FROM OLD.suborder_id
       OR NEW.payout_id IS DISTINCT FROM OLD.payout_id OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.available_at IS DISTINCT FROM OLD.available_at
       OR NEW.note IS DISTINCT FROM OLD.note
       OR NEW.note_phrase::text IS DISTINCT FROM OLD.note_phrase::text THEN
        RAISE EXCEPTION 'ledger entries are never changed (entry %)', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
# Back to the function of 0006.
RESTORE = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger entries are never deleted (entry %)', OLD.id;
    END IF;
    IF NEW.shop_id IS DISTINCT FROM OLD.shop_id OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.suborder_id IS DISTINCT FROM OLD.suborder_id
       OR NEW.payout_id IS DISTINCT FROM OLD.payout_id OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.available_at IS DISTINCT FROM OLD.available_at
       OR NEW.note IS DISTINCT FROM OLD.note THEN
        RAISE EXCEPTION 'ledger entries are never changed (entry %)', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0007_ledger_entry_collected_in_cash")]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="note_phrase",
            field=models.JSONField(blank=True, null=True, verbose_name="note phrase"),
        ),
        migrations.RunPython(guard, unguard),
    ]
