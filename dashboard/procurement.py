"""The maker's side of institutional requests: what they were invited to, and their own offer.

A maker sees the request and their own offer only, never another maker's offer or price, and
for an accepted quote their own packing list only.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from procurement import selectors, services
from procurement.forms import OfferForm
from procurement.models import Invitation, Offer, Quote

from .access import shop_member_required


@shop_member_required
def invitation_list(request, shop):
    invitations = (
        Invitation.objects.filter(shop=shop)
        .select_related("request__institution", "request__product_type")
        .prefetch_related("request__sizes")
        .order_by("-invited_at")
    )
    offers = {
        offer.request_id: offer
        for offer in Offer.objects.filter(shop=shop, request__invitations__shop=shop)
    }
    return render(
        request,
        "dashboard/procurement_list.html",
        {
            "shop": shop,
            "rows": [(invitation, offers.get(invitation.request_id)) for invitation in invitations],
        },
    )


@shop_member_required
def invitation_offer(request, shop, request_id: int):
    invitation = get_object_or_404(
        Invitation.objects.select_related("request__institution"), shop=shop, request_id=request_id
    )
    item = invitation.request
    sizes = {row.size: row.quantity for row in item.sizes.all()}
    offer = Offer.objects.filter(request=item, shop=shop).prefetch_related("sizes").first()
    initial = {}
    if offer is not None:
        initial = {"price_per_piece": offer.price_per_piece, "delivery_date": offer.delivery_date}
        initial |= {f"size_{row.size}": row.quantity for row in offer.sizes.all()}
    form = OfferForm(request.POST or None, sizes=list(sizes), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_offer(
                request=item,
                shop=shop,
                by=request.user,
                price_per_piece=form.cleaned_data["price_per_piece"],
                delivery_date=form.cleaned_data["delivery_date"],
                sizes=form.size_counts(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Offer sent. You can change it until the cooperative decides.")
            )
            return redirect("dashboard:procurement-offer", request_id=item.pk)
    return render(
        request,
        "dashboard/procurement_offer.html",
        {"shop": shop, "item": item, "sizes": sizes, "offer": offer, "form": form},
    )


@shop_member_required
def packing_list(request, shop, suborder_id: int):
    """The maker's pieces of an institution's order, by person and size, as printable labels."""
    quote = get_object_or_404(
        Quote.objects.select_related("request__institution", "order"),
        order__suborders__pk=suborder_id,
        order__suborders__shop=shop,
    )
    packing = selectors.packing_lists(quote).get(shop.pk)
    if packing is None:
        raise Http404
    return render(
        request,
        "procurement/packing_list.html",
        {
            "quote": quote,
            "lists": [packing],
            "back_url": reverse("dashboard:order-detail", args=[suborder_id]),
        },
    )
