"""The public catalog's pages, one module per concern."""

from .browse import product_list
from .collections import collection_detail
from .favourites import favourite_list, favourite_toggle
from .home import bench_bare, home
from .product import product_detail
from .shops import shop_detail

__all__ = [
    "bench_bare",
    "collection_detail",
    "favourite_list",
    "favourite_toggle",
    "home",
    "product_detail",
    "product_list",
    "shop_detail",
]
