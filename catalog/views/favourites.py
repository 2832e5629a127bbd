"""The buyer's wishlist: saving and unsaving a product, and the list of saved batik."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import cache as catalog_cache
from ..models import Product
from ..services import toggle_favourite
from .pagecache import rendered_for_reader

FAVOURITES_PER_PAGE = 48


@require_POST
def favourite_toggle(request, pk: int):
    """Save or unsave a product (works without JavaScript: posts, then goes back)."""
    if not request.user.is_authenticated:
        return redirect(
            f"{reverse('account_login')}?{urlencode({'next': request.POST.get('next', '')})}"
        )
    product = get_object_or_404(Product.objects.published(), pk=pk)
    saved = toggle_favourite(user=request.user, product=product)
    if saved:
        messages.success(request, _("Saved to your favourites."))
    else:
        messages.info(request, _("Removed from your favourites."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = product.get_absolute_url()
    return redirect(next_url)


@login_required
@rendered_for_reader
def favourite_list(request):
    """The buyer's wishlist: saved batik still on sale, most recently saved first."""
    products = (
        Product.objects.published()
        .filter(favourited_by__user=request.user)
        .with_card_data()
        .annotate(saved_at=F("favourited_by__created_at"))
        .order_by("-saved_at", "-pk")
    )
    page = Paginator(products, FAVOURITES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"page": page, "products": page.object_list, **catalog_cache.fragment_context()}
    return TemplateResponse(request, "catalog/favourite_list.html", context)
