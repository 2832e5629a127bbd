from django.db import migrations

# "Best match" lists the products whose title or motif names hold every word first
# (catalog.search.TitleAndMotifWords): this GIN index over the A-weighted part of the search
# vector finds them without reading every product that has the word somewhere else.
# PostgreSQL only, like the other search indexes (migration 0002).
INDEX = "catalog_product_title_motif_words_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_product "
            "USING gin (ts_filter(search_vector, '{a}'))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_merge_popular_count"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
