from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Motif, Product, ProductImage


def _cards(queryset):
    """Products with what a card shows, in a fixed number of queries."""
    return queryset.select_related("shop", "technique").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.filter(is_primary=True))
    )


def home(request):
    """Featured work, new arrivals and the motifs with their stories."""
    published = Product.objects.published()
    context = {
        "featured": _cards(published.filter(is_featured=True))[:8],
        "new_arrivals": _cards(published)[:12],
        "motifs": Motif.objects.all(),
    }
    return render(request, "catalog/home.html", context)


def product_list(request):
    """All published batik, newest first."""
    page = Paginator(_cards(Product.objects.published()), 24).get_page(request.GET.get("page"))
    return render(request, "catalog/product_list.html", {"page": page})


def product_detail(request, slug: str):
    product = get_object_or_404(
        Product.objects.published().select_related("shop", "technique", "fabric", "product_type"),
        slug=slug,
    )
    return render(request, "catalog/product_detail.html", {"product": product})
