"""Who may use the dashboard: members of a shop, each only for their own shop."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from artisans.models import Shop


def current_shop(user) -> Shop | None:
    """The shop the user runs (the first one, until accounts run several)."""
    return Shop.objects.for_member(user).order_by("pk").first()


def shop_member_required(view):
    """Pass the member's shop to the view; send users without a shop to the application form."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        shop = current_shop(request.user)
        if shop is None:
            return redirect("shop-apply")
        return view(request, shop, *args, **kwargs)

    return wrapper
