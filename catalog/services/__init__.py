"""Writes to the catalog, by concern; every public service is importable from here.

After every write that changes what buyers see (a product, its motifs, options or images, a shop's
name, status or vacation, the taxonomy, a collection), the service refreshes the search vector
where it changed and bumps the catalog version after commit (`catalog.cache`), so every cached
catalog page is stale at once. Callers, the admin included, write through these functions.
"""

from .favourites import recount_favourites, toggle_favourite
from .moderation import hide_product, set_featured, unhide_product
from .photos import (
    add_product_images,
    delete_image,
    move_image,
    reorder_images,
    set_primary_image,
    update_image_alt_text,
)
from .products import (
    NOT_BATIK_TECHNIQUES,
    PRODUCT_FIELDS,
    PRODUCT_M2M_FIELDS,
    SLUG_MAX_LENGTH,
    archive_product,
    create_product,
    delete_draft,
    delete_option,
    delete_products,
    duplicate_product,
    publish_product,
    put_back_stock,
    save_option,
    save_product,
    set_option_stock,
    take_stock,
    update_product,
)
from .search_index import (
    products_changed,
    rebuild_search_index,
    refresh_search_vector,
    refresh_shops,
)
from .shops import set_shop_specialities, set_type_capacities
from .taxonomy import delete_collections, delete_taxa, save_collection, save_taxon

__all__ = [
    "NOT_BATIK_TECHNIQUES",
    "PRODUCT_FIELDS",
    "PRODUCT_M2M_FIELDS",
    "SLUG_MAX_LENGTH",
    "add_product_images",
    "archive_product",
    "create_product",
    "delete_collections",
    "delete_draft",
    "delete_image",
    "delete_option",
    "delete_products",
    "delete_taxa",
    "duplicate_product",
    "hide_product",
    "move_image",
    "products_changed",
    "publish_product",
    "put_back_stock",
    "rebuild_search_index",
    "recount_favourites",
    "refresh_search_vector",
    "refresh_shops",
    "reorder_images",
    "save_collection",
    "save_option",
    "save_product",
    "save_taxon",
    "set_featured",
    "set_option_stock",
    "take_stock",
    "set_primary_image",
    "set_shop_specialities",
    "set_type_capacities",
    "toggle_favourite",
    "unhide_product",
    "update_image_alt_text",
    "update_product",
]
