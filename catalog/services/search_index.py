"""The search index: each product's stored search vector, and refreshing it after changes."""

from collections.abc import Iterable

from django.db import connection, transaction

from ..cache import bump_catalog_version
from ..models import Product

# Both languages' words in one vector: a search finds a listing by its English title on any
# page, as by its Indonesian one (the title and motif names weigh most, then the technique and
# the shop, then the description).
_REFRESH_SQL = """
UPDATE catalog_product AS p SET search_vector =
    setweight(to_tsvector('simple', concat_ws(' ', p.title, p.title_en)), 'A')
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(concat_ws(' ', m.name, m.name_en), ' ')
        FROM catalog_product_motifs pm JOIN catalog_motif m ON m.id = pm.motif_id
        WHERE pm.product_id = p.id), '')), 'A')
    || setweight(to_tsvector('simple', concat_ws(' ', t.name, t.name_en, s.name)), 'B')
    || setweight(to_tsvector('simple', concat_ws(' ', p.description, p.description_en)), 'C')
FROM catalog_technique AS t, artisans_shop AS s
WHERE t.id = p.technique_id AND s.id = p.shop_id AND p.id = ANY(%s)
"""


def refresh_search_vector(*, product_ids: Iterable[int]) -> int:
    """Recompute the stored search vector of these products; returns how many were updated.

    A no-op on databases without full-text search (SQLite), where search falls back to icontains.
    """
    ids = sorted({int(pk) for pk in product_ids})
    if not ids or connection.vendor != "postgresql":
        return 0
    updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            cursor.execute(_REFRESH_SQL, [ids[start : start + 5000]])
            updated += cursor.rowcount
    return updated


def rebuild_search_index(*, batch_size: int = 5000) -> int:
    """Refresh the search vector of every product, in batches; returns the number updated."""
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for start in range(0, len(ids), batch_size):
        total += refresh_search_vector(product_ids=ids[start : start + batch_size])
    return total


@transaction.atomic
def refresh_shops(*, shop_ids: Iterable[int]) -> None:
    """A shop changed (name, status, vacation...): its products' search terms and cached pages."""
    product_ids = Product.objects.filter(shop_id__in=list(shop_ids)).values_list("pk", flat=True)
    products_changed(product_ids=list(product_ids))


def products_changed(*, product_ids: Iterable[int]) -> None:
    """What follows every write buyers would see: fresh search terms, and stale cached pages.

    The catalog version is bumped after the commit, so no visitor caches the old state again.
    """
    refresh_search_vector(product_ids=product_ids)
    transaction.on_commit(bump_catalog_version)
