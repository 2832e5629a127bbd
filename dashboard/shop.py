"""The artisan's shop settings: profile (story, contact, photo, banner, motifs, made-to-order
capacity) and vacation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from artisans import services
from artisans.forms import ShopCapacityForm, ShopProfileForm, VacationForm
from catalog.forms import ShopSpecialitiesForm, TypeCapacityForm

from .access import shop_member_required


@shop_member_required
def shop_profile(request, shop):
    """Edit the member's own shop profile."""
    form = ShopProfileForm(request.POST or None, request.FILES or None, instance=shop)
    specialities = ShopSpecialitiesForm(request.POST or None, shop=shop)
    # The same instance as `form`: both set their fields, one save writes them.
    capacity = ShopCapacityForm(request.POST or None, instance=shop)
    type_capacity = TypeCapacityForm(request.POST or None, shop=shop)
    forms = (form, specialities, capacity, type_capacity)
    if request.method == "POST" and all([f.is_valid() for f in forms]):
        with transaction.atomic():
            shop = form.save()
            specialities.save(shop)
            type_capacity.save(shop)
            services.announce_shop_change([shop.pk])
        messages.success(request, _("Your shop profile has been saved."))
        return redirect("dashboard:shop-profile")
    context = {
        "shop": shop,
        "form": form,
        "specialities_form": specialities,
        "capacity_form": capacity,
        "type_capacity_form": type_capacity,
    }
    return render(request, "dashboard/shop_profile.html", context)


@shop_member_required
def shop_vacation(request, shop):
    """Pause the shop with a return date and a message, or take orders again."""
    form = VacationForm(
        request.POST or None,
        initial={"until": shop.vacation_until, "message": shop.vacation_message},
    )
    if request.method == "POST":
        if request.POST.get("action") == "end":
            services.end_vacation(shop=shop)
            messages.success(request, _("Welcome back! Your shop takes orders again."))
            return redirect("dashboard:shop-vacation")
        if form.is_valid():
            try:
                services.set_vacation(
                    shop=shop,
                    until=form.cleaned_data["until"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your shop is on vacation: buyers see your notice and cannot order.")
                )
                return redirect("dashboard:shop-vacation")
    return render(request, "dashboard/shop_vacation.html", {"shop": shop, "form": form})
