from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from artisans.models import Shop

from .models import Motif, Product


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Product.objects.published().only("slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("catalog:product-detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class ShopSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Shop.objects.approved().only("slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("artisans:shop-detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class MotifSitemap(Sitemap):
    """Each motif's page is the catalog filtered by it."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Motif.objects.only("slug").order_by("position", "pk")

    def location(self, item):
        return f"{reverse('catalog:product-list')}?motif={item.slug}"


class PageSitemap(Sitemap):
    priority = 0.8
    changefreq = "daily"

    def items(self):
        return ["catalog:home", "catalog:product-list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "products": ProductSitemap,
    "shops": ShopSitemap,
    "motifs": MotifSitemap,
}
