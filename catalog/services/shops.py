"""What the catalog keeps of a shop: the motifs and techniques it works in."""

from collections.abc import Iterable

from django.db import transaction

from artisans.models import Shop

from ..cache import bump_catalog_version


@transaction.atomic
def set_shop_specialities(*, shop: Shop, motifs: Iterable, techniques: Iterable) -> None:
    """Set the motifs and techniques (objects or ids) a shop works in, shown on its page."""
    shop.motifs.set(motifs)
    shop.techniques.set(techniques)
    transaction.on_commit(bump_catalog_version)
