"""The reader's own hearts on product cards, filled into pages whose cards are shared.

A card (`includes/_product_card.html`) shows a signed-in reader the placeholder
`<!--favourite-heart-<pk>-->` where its heart button goes (the product page its own button as
`<!--favourite-button-<pk>-->`), so the same cached grid of cards serves every buyer;
`with_hearts()` puts in each buyer's saved or unsaved button, each rendered from its template.
A placeholder is an HTML comment because no text of a seller's can become one: Django escapes
its `<` (and the JSON-LD writes it as `\u003c`).

Which products the buyer saved is read with the user, in the query that also reads the
header's counts (orders' authentication backends annotate `favourite_ids_of_outer_user()`
under FAVOURITE_IDS_ATTRIBUTE); without it (another backend), one query of the page's ids.
"""

import re

from django.db.models import CharField, OuterRef, StringAgg, Subquery, Value
from django.db.models.functions import Cast
from django.template.loader import render_to_string

from .models import Favourite

HEART_PLACEHOLDER = re.compile(rb"<!--favourite-(heart|button)-(\d+)-->")
BUTTON_TEMPLATES = {
    b"heart": "includes/_heart_button.html",
    b"button": "includes/_favourite_button.html",
}
FAVOURITE_IDS_ATTRIBUTE = "favourite_product_ids"


def favourite_ids_of_outer_user():
    """The product ids the outer query's user saved, comma-separated (None without any)."""
    saved = (
        Favourite.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(ids=StringAgg(Cast("product_id", CharField()), Value(",")))
        .values("ids")
    )
    return Subquery(saved)


def _saved_among(user, product_ids: set[int]) -> set[int]:
    if not user.is_authenticated:
        return set()
    if hasattr(user, FAVOURITE_IDS_ATTRIBUTE):
        ids = getattr(user, FAVOURITE_IDS_ATTRIBUTE) or ""
        return {int(pk) for pk in ids.split(",") if pk} & product_ids
    saved = Favourite.objects.filter(user=user, product_id__in=product_ids)
    return set(saved.values_list("product_id", flat=True))


def with_hearts(request, content: bytes) -> bytes:
    """Each heart placeholder replaced by the reader's saved or unsaved button."""
    found = HEART_PLACEHOLDER.findall(content)
    if not found:
        return content
    saved = _saved_among(request.user, {int(pk) for _kind, pk in found})
    buttons = {
        (kind, is_favourite): render_to_string(
            BUTTON_TEMPLATES[kind], {"is_favourite": is_favourite}
        )
        .strip()
        .encode()
        for kind in {kind for kind, _pk in found}
        for is_favourite in (True, False)
    }
    return HEART_PLACEHOLDER.sub(lambda match: buttons[match[1], int(match[2]) in saved], content)
