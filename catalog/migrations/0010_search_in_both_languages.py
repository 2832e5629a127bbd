"""Every listing's search vector holds its English words too (catalog.services.search_index).

The vectors stored before this were built from the Indonesian text alone; they are rebuilt
here once, as `manage.py rebuild_search_index` would. SQLite has no vectors (search reads the
fields there).
"""

from django.db import migrations

# The search index's refresh as it was written with this migration, for every product.
REFRESH_ALL = """
UPDATE catalog_product AS p SET search_vector =
    setweight(to_tsvector('simple', concat_ws(' ', p.title, p.title_en)), 'A')
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(concat_ws(' ', m.name, m.name_en), ' ')
        FROM catalog_product_motifs pm JOIN catalog_motif m ON m.id = pm.motif_id
        WHERE pm.product_id = p.id), '')), 'A')
    || setweight(to_tsvector('simple', concat_ws(' ', t.name, t.name_en, s.name)), 'B')
    || setweight(to_tsvector('simple', concat_ws(' ', p.description, p.description_en)), 'C')
FROM catalog_technique AS t, artisans_shop AS s
WHERE t.id = p.technique_id AND s.id = p.shop_id
"""


def refresh_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFRESH_ALL)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_english_versions")]

    operations = [migrations.RunPython(refresh_all, migrations.RunPython.noop)]
