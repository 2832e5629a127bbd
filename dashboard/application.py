"""Applying to open a shop: the shop's details (artisans) and its specialities (catalog); and the
footer's "Sell your batik", which sends each reader to their next step."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from artisans import services
from artisans.forms import ShopApplicationForm
from artisans.models import Shop
from catalog.forms import ShopSpecialitiesForm


def sell(request):
    """A maker to their dashboard, a suspended one to their shop's status, anyone else signed
    in to the application (a rejected one's to correct), a visitor to sign-up and then the
    application.

    Decided when followed, not when the footer is drawn: catalog pages are cached whole, and a
    link that asked whose shop it is would cost every page a query.
    """
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_signup')}?{urlencode({'next': reverse('shop-apply')})}")
    statuses = set(Shop.objects.for_member(request.user).values_list("status", flat=True))
    if statuses & {Shop.Status.APPROVED, Shop.Status.PENDING}:
        return redirect("dashboard:home")
    if Shop.Status.SUSPENDED in statuses:
        return redirect("artisans:my-shops")
    return redirect("shop-apply")


@login_required
def apply(request):
    """Apply to open a shop, or correct and resend a rejected application."""
    user = request.user
    if not services.has_verified_email(user):
        return render(request, "dashboard/application_email_unverified.html", status=403)
    if Shop.objects.filter(
        owner=user, status__in=[Shop.Status.PENDING, Shop.Status.APPROVED]
    ).exists():
        messages.info(request, _("You already have a shop or an application waiting for review."))
        return redirect("artisans:my-shops")
    rejected = Shop.objects.filter(owner=user, status=Shop.Status.REJECTED).first()
    form = ShopApplicationForm(request.POST or None, request.FILES or None, shop=rejected)
    specialities = ShopSpecialitiesForm(request.POST or None, shop=rejected)
    if request.method == "POST" and form.is_valid() and specialities.is_valid():
        try:
            with transaction.atomic():
                shop = services.submit_application(
                    user=user, shop=rejected, **form.application_data()
                )
                specialities.save(shop)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you! The cooperative will review your application, usually within a few days."
                ),
            )
            return redirect("artisans:my-shops")
    context = {"form": form, "specialities_form": specialities, "rejected_shop": rejected}
    return render(request, "dashboard/application_form.html", context)
