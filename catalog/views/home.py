"""The home page: hero, collections, featured work, new arrivals, motifs, makers by district."""

from django.db.models import Exists, OuterRef, Value
from django.http import HttpResponse
from django.template.response import TemplateResponse

from artisans.models import ShopFollow

from .. import cache as catalog_cache
from .. import selectors
from ..models import Motif, Product
from .pagecache import cached_for_visitors

# Products shown per curated collection on the home page; the collection page shows them all.
HOME_COLLECTION_CARDS = 4
FEATURED_CARDS = 8
NEW_ARRIVAL_CARDS = 12
FOLLOWING_CARDS = 8


def _home_cards(user) -> dict[str, list]:
    """Featured work, new arrivals and (signed in) work of followed shops, in ONE query.

    Each list's own few ids are picked by a LIMIT subquery and the rows come newest first, so
    the first rows of each kind are exactly that list.
    """
    published = Product.objects.published()
    picks = [
        published.filter(is_featured=True).values("pk")[:FEATURED_CARDS],
        published.values("pk")[:NEW_ARRIVAL_CARDS],
    ]
    followed = Value(False)
    if user.is_authenticated:
        followed = Exists(ShopFollow.objects.filter(user=user, shop=OuterRef("shop_id")))
        followed_shops = ShopFollow.objects.filter(user=user).values("shop")
        picks.append(published.filter(shop__in=followed_shops).values("pk")[:FOLLOWING_CARDS])
    # A UNION of the lists' ids, not an OR of IN subqueries: PostgreSQL cannot read an index
    # for an OR of subqueries and would check every product. Each sliced pick sits inside a
    # pk__in of its own, as SQLite allows no LIMIT in a UNION's parts.
    first, *others = [Product.objects.filter(pk__in=pick).values("pk") for pick in picks]
    wanted = first.union(*others)
    rows = list(published.filter(pk__in=wanted).with_card_data().annotate(is_followed=followed))
    return {
        "featured": [row for row in rows if row.is_featured][:FEATURED_CARDS],
        "new_arrivals": rows[:NEW_ARRIVAL_CARDS],
        "following": [row for row in rows if row.is_followed][:FOLLOWING_CARDS],
    }


# A signed-in buyer's home page shows the new work of the shops they follow: theirs alone.
@cached_for_visitors(shared_with_signed_in=False)
def home(request):
    """Hero (with a collection's picture), collections, featured work, new arrivals, motifs
    with their stories, makers.

    Motifs and makers are lazy querysets: the template's `{% cache %}` fragment holds them,
    so a warm page never queries them.
    """
    user = request.user
    collections = selectors.collections_with_products(per_collection=HOME_COLLECTION_CARDS)
    context = {
        "collections": collections,
        # The hero shows the picture of the first collection that has one: the cooperative
        # picks it by the collections' order.
        "hero": next((collection for collection in collections if collection.image), None),
        **_home_cards(user),
        "motifs": Motif.objects.all(),
        "makers": selectors.makers_by_district(),
        **catalog_cache.fragment_context(),
    }
    return TemplateResponse(request, "catalog/home.html", context)


def bench_bare(request):
    """The benchmark's yardstick: a Django view that does nothing (only with BENCH_BARE_VIEW=1)."""
    return HttpResponse(b"ok", content_type="text/plain")
