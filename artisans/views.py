"""Public shop pages, the applicant's status page, and following shops.

Applying to sell is the dashboard's page (dashboard.application): it shows catalog's choices too.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalog import selectors
from catalog.models import Product, ProductImage
from core.phone import whatsapp_link

from . import services
from .models import Shop, ShopFollow

PRODUCTS_PER_PAGE = 24


def shop_detail(request, slug: str):
    """A maker's public shop page; members also see it while it waits for review."""
    shop = get_object_or_404(Shop.objects.annotate(follower_count=Count("follows")), slug=slug)
    is_member = shop.has_member(request.user)
    if not shop.is_public and not is_member:
        raise Http404
    # Views may compose apps: the shop's products, and the catalog's filters over them.
    products = (
        Product.objects.published()
        if shop.is_public
        else Product.objects.filter(status=Product.Status.ACTIVE)
    )
    query = selectors.CatalogQuery.from_querydict(request.GET)
    products = (
        selectors.browse(query, base=products.filter(shop=shop))
        .select_related("shop")
        .prefetch_related(Prefetch("images", queryset=ProductImage.objects.filter(is_primary=True)))
    )
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    shop_url = request.build_absolute_uri(shop.get_absolute_url())
    is_following = (
        request.user.is_authenticated
        and ShopFollow.objects.filter(user=request.user, shop=shop).exists()
    )
    context = {
        "shop": shop,
        "page": page,
        "query": query,
        "query_string": query.query_string(),
        "sorts": {
            key: label for key, label in selectors.SORTS.items() if key != "relevance" or query.q
        },
        "availability_choices": selectors.AVAILABILITY,
        "is_member": is_member,
        "is_following": is_following,
        "motifs": shop.motifs.all(),
        "techniques": shop.techniques.all(),
        "whatsapp_url": whatsapp_link(
            shop.whatsapp,
            _(
                "Hello %(shop)s, I found your shop on Batik Kutai Timur and would like to ask about your batik."
            )
            % {"shop": shop.name},
        ),
        "share_url": shop_url,
        "share_whatsapp_url": "https://wa.me/?text=" + quote(f"{shop.name} – {shop_url}"),
        "share_facebook_url": "https://www.facebook.com/sharer/sharer.php?u=" + quote(shop_url),
    }
    return render(request, "artisans/shop_detail.html", context)


@login_required
def my_shops(request):
    """The applicant's shops with their review status, a rejection's reason, and what to do next."""
    shops = Shop.objects.for_member(request.user).order_by("-created_at")
    return render(request, "artisans/shop_list.html", {"shops": shops})


@login_required
@require_POST
def follow(request, slug: str):
    shop = get_object_or_404(Shop.objects.approved(), slug=slug)
    services.follow_shop(user=request.user, shop=shop)
    messages.success(request, _("You follow %(shop)s now.") % {"shop": shop.name})
    return redirect(shop)


@login_required
@require_POST
def unfollow(request, slug: str):
    shop = get_object_or_404(Shop.objects.approved(), slug=slug)
    services.unfollow_shop(user=request.user, shop=shop)
    messages.success(request, _("You no longer follow %(shop)s.") % {"shop": shop.name})
    return redirect(shop)
