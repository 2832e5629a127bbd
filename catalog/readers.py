"""What a signed-in reader's own bits on shared catalog pages need, read with the user.

Catalog pages are shared by every reader and get each reader's hearts and follow button put in
per response (catalog/views/pagecache.py). Which products the reader saved, which shops they
follow and which they belong to are annotated on the user by orders' authentication backends,
in the one query that reads the user and the header's counts (`reader_annotations()`); with
another backend, `ids_of()` asks the database instead. The header's cart count is orders' to
tell (`count_carts_with`, from its ready()).
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast
from django.http import HttpRequest

from artisans.models import ShopFollow, ShopMember

from .models import Favourite

# The attribute on the user, and the rows (model, id field) it gathers.
READ_WITH_USER = {
    "favourite_product_ids": (Favourite, "product_id"),
    "followed_shop_ids": (ShopFollow, "shop_id"),
    "member_shop_ids": (ShopMember, "shop_id"),
}


def _ids_of_outer_user(model, field: str):
    """The ids in `field` of the outer query's user's rows, comma-separated (None without)."""
    rows = (
        model.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(ids=StringAgg(Cast(field, CharField()), Value(",")))
        .values("ids")
    )
    return Subquery(rows)


def reader_annotations() -> dict:
    """Annotations for a user query: every id set of READ_WITH_USER."""
    return {
        attribute: _ids_of_outer_user(model, field)
        for attribute, (model, field) in READ_WITH_USER.items()
    }


def ids_of(user, attribute: str, among: set[int]) -> set[int]:
    """Which of `among` are in the user's id set `attribute` (empty when signed out)."""
    if not user.is_authenticated:
        return set()
    if hasattr(user, attribute):
        ids = getattr(user, attribute) or ""
        return {int(pk) for pk in ids.split(",") if pk} & among
    model, field = READ_WITH_USER[attribute]
    rows = model.objects.filter(user=user, **{f"{field}__in": among})
    return set(rows.values_list(field, flat=True))


# How the header counts a reader's cart: orders, an app above this one, says so at startup, so
# that a kept page puts the number in without a render of its own.
_cart_counter: Callable[[HttpRequest], int] | None = None


def count_carts_with(counter: Callable[[HttpRequest], int]) -> None:
    """Called from orders' ready(): `counter(request)` is the cart count the header shows."""
    global _cart_counter
    _cart_counter = counter


def cart_count_of(request: HttpRequest) -> int:
    if _cart_counter is None:
        raise ImproperlyConfigured("No cart counter: orders registers one in its ready().")
    return _cart_counter(request)
