"""The applicant's status page, and following shops (with the list of followed ones).

Applying to sell is the dashboard's page (dashboard.application) and the public shop page the
catalog's (catalog.views.shops): both show catalog's choices too.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Shop


@login_required
def my_shops(request):
    """The applicant's shops with their review status, a rejection's reason, and what to do next."""
    shops = Shop.objects.for_member(request.user).order_by("-created_at")
    return render(request, "artisans/shop_list.html", {"shops": shops})


@login_required
def followed_shops(request):
    """The shops the buyer follows, most recently followed first, each with unfollow."""
    shops = (
        Shop.objects.approved()
        .filter(follows__user=request.user)
        .order_by("-follows__created_at", "-pk")
    )
    return render(request, "artisans/followed_shop_list.html", {"shops": shops})


def _back_or_to(request, shop: Shop):
    """Back to the page the form was on (e.g. the list of followed shops), else the shop."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect(shop)


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
    return _back_or_to(request, shop)
