"""What the catalog keeps of a shop: the motifs and techniques it works in, and its made-to-order
capacity per product type where that differs from the shop-wide figure."""

from collections.abc import Iterable, Mapping

from django.db import transaction

from artisans.models import Shop

from ..cache import bump_catalog_version
from ..models import ShopTypeCapacity


@transaction.atomic
def set_shop_specialities(*, shop: Shop, motifs: Iterable, techniques: Iterable) -> None:
    """Set the motifs and techniques (objects or ids) a shop works in, shown on its page."""
    shop.motifs.set(motifs)
    shop.techniques.set(techniques)
    transaction.on_commit(bump_catalog_version)


@transaction.atomic
def set_type_capacities(*, shop: Shop, capacities: Mapping[int, int | None]) -> None:
    """Set the shop's pieces per week for each product type id; None removes a type's own figure."""
    for product_type_id, weekly_capacity in capacities.items():
        if weekly_capacity is None:
            ShopTypeCapacity.objects.filter(shop=shop, product_type_id=product_type_id).delete()
        else:
            ShopTypeCapacity.objects.update_or_create(
                shop=shop,
                product_type_id=product_type_id,
                defaults={"weekly_capacity": weekly_capacity},
            )
