"""Writes for the catalog: the search index, the page-cache version and favourites.

Call `refresh_search_vector(product_ids=[...])` and `bump_catalog_version()` after every write that
changes what buyers see (a product, its motifs, options or images, a shop's name, status or
vacation): the first keeps full-text search right, the second makes every cached catalog page stale.
"""

from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction

from .models import Favourite, Product

CATALOG_VERSION_KEY = "catalog:version"

# One UPDATE for a batch of products: title and motif names weigh most, then technique and shop
# name, then the description. The "simple" configuration: Indonesian has no stemmer in PostgreSQL,
# and prefix matching (`word:*`) at query time covers most word forms.
_REFRESH_SQL = """
UPDATE catalog_product AS p SET search_vector =
    setweight(to_tsvector('simple', coalesce(p.title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(m.name, ' ')
        FROM catalog_product_motifs pm JOIN catalog_motif m ON m.id = pm.motif_id
        WHERE pm.product_id = p.id), '')), 'A')
    || setweight(to_tsvector('simple', coalesce(t.name, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(s.name, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(p.description, '')), 'C')
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


def catalog_version() -> int:
    """The current version of the public catalog; part of every cached page's key."""
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        cache.add(CATALOG_VERSION_KEY, 1, timeout=None)
        version = cache.get(CATALOG_VERSION_KEY, 1)
    return int(version)


def bump_catalog_version() -> int:
    """Make every cached catalog page stale (call after any listing or shop edit)."""
    try:
        return int(cache.incr(CATALOG_VERSION_KEY))
    except ValueError:
        # The key was missing (cache cleared or evicted): start again above any old version.
        cache.add(CATALOG_VERSION_KEY, 2, timeout=None)
        return int(cache.get(CATALOG_VERSION_KEY, 2))


def toggle_favourite(*, user, product: Product) -> bool:
    """Save the product to the user's wishlist, or remove it; returns True when now saved."""
    deleted, _ = Favourite.objects.filter(user=user, product=product).delete()
    if deleted:
        return False
    Favourite.objects.get_or_create(user=user, product=product)
    return True
