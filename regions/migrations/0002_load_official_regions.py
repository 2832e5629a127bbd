from django.db import migrations

from regions.loading import load_regions


def load(apps, schema_editor):
    load_regions(
        models={name: apps.get_model("regions", name) for name in ("Province", "Regency", "District", "Village")}
    )


class Migration(migrations.Migration):
    """Every database starts with the vendored regions (`manage.py load_regions` refreshes them)."""

    dependencies = [("regions", "0001_official_regions")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=True)]
