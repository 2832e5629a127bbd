"""What a signed-in reader's own bits on shared catalog pages need, read with the user.

Catalog pages are shared by every reader and get each reader's hearts and follow button put in
per response (catalog/views/pagecache.py). Which products the reader saved, which shops they
follow and which they belong to are annotated on the user by orders' authentication backends,
in the one query that reads the user and the header's counts (`reader_annotations()`); with
another backend, `ids_of()` asks the database instead.
"""

from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast

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
