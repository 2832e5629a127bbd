"""Entries written before availability counted from their own date; then the date is fixed too."""

from django.db import migrations
from django.db.models import F

# The append-only trigger of 0002, now also refusing a change of the moment money is available.
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
       OR NEW.note IS DISTINCT FROM OLD.note THEN
        RAISE EXCEPTION 'ledger entries are never changed (entry %)', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
# Back to the function of 0002 (available_at not guarded).
RESTORE = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger entries are never deleted (entry %)', OLD.id;
    END IF;
    IF NEW.shop_id IS DISTINCT FROM OLD.shop_id OR NEW.kind IS DISTINCT FROM OLD.kind
       OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.suborder_id IS DISTINCT FROM OLD.suborder_id
       OR NEW.payout_id IS DISTINCT FROM OLD.payout_id OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.note IS DISTINCT FROM OLD.note THEN
        RAISE EXCEPTION 'ledger entries are never changed (entry %)', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def available_since_written(apps, schema_editor):
    # Before this change money was credited at completion and available at once.
    LedgerEntry = apps.get_model("ledger", "LedgerEntry")
    LedgerEntry.objects.update(available_at=F("created_at"))


def guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def unguard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_payout_run_and_available_at")]

    operations = [
        migrations.RunPython(available_since_written, migrations.RunPython.noop),
        migrations.RunPython(guard, unguard),
    ]
