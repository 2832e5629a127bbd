"""Favourites: a buyer's wishlist, and the count each product keeps for the popular sort."""

from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import Favourite, Product


def toggle_favourite(*, user, product: Product) -> bool:
    """Save the product to the user's wishlist, or remove it; returns True when now saved.

    Keeps `Product.favourite_count` in step, in the same transaction, for the popular sort.
    """
    deleted, _ = Favourite.objects.filter(user=user, product=product).delete()
    if deleted:
        Product.objects.filter(pk=product.pk, favourite_count__gt=0).update(
            favourite_count=F("favourite_count") - 1
        )
        return False
    _favourite, created = Favourite.objects.get_or_create(user=user, product=product)
    if created:
        Product.objects.filter(pk=product.pk).update(favourite_count=F("favourite_count") + 1)
    return True


def recount_favourites() -> int:
    """Set every product's `favourite_count` from its wishlist rows (after admin deletions)."""
    counted = Favourite.objects.filter(product=OuterRef("pk")).order_by().values("product")
    return Product.objects.update(
        favourite_count=Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), Value(0))
    )
