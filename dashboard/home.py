from django.shortcuts import render

from .access import shop_member_required


@shop_member_required
def dashboard_home(request, shop):
    """The artisan's start page."""
    return render(request, "dashboard/home.html", {"shop": shop})
