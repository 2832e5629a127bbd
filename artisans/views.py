from django.shortcuts import get_object_or_404, render

from .models import Shop


def shop_detail(request, slug: str):
    """A maker's public shop page."""
    shop = get_object_or_404(Shop.objects.approved(), slug=slug)
    return render(request, "artisans/shop_detail.html", {"shop": shop})


def apply(request):
    """Apply to open a shop."""
    return render(request, "artisans/shop_form.html", {})
