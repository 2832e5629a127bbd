"""The home page: hero, collections, featured work, new arrivals, motifs, makers by district."""

from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.template.response import TemplateResponse

from artisans.models import ShopFollow

from .. import cache as catalog_cache
from .. import selectors
from ..models import Motif, Product
from .pagecache import cached_for_visitors

# Products shown per curated collection on the home page; the collection page shows them all.
HOME_COLLECTION_CARDS = 4


@cached_for_visitors
def home(request):
    """Hero, featured work, new arrivals, motifs with their stories, makers by district.

    The lists are lazy: what a `{% cache %}` fragment of the template already holds (motifs,
    makers) is never queried.
    """
    user = request.user
    cards = Product.objects.published().with_card_data(user)
    following = []
    if user.is_authenticated:
        followed = ShopFollow.objects.filter(user=user, shop=OuterRef("shop_id"))
        following = cards.filter(Exists(followed))[:8]
    context = {
        "collections": selectors.collections_with_products(
            user=user, per_collection=HOME_COLLECTION_CARDS
        ),
        "featured": cards.filter(is_featured=True)[:8],
        "new_arrivals": cards[:12],
        "following": following,
        "motifs": Motif.objects.all(),
        "makers": selectors.makers_by_district(),
        **catalog_cache.fragment_context(),
    }
    return TemplateResponse(request, "catalog/home.html", context)


def bench_bare(request):
    """The benchmark's yardstick: a Django view that does nothing (only with BENCH_BARE_VIEW=1)."""
    return HttpResponse(b"ok", content_type="text/plain")
