"""The sitemap: every public page in both languages, at the site's real address (SITE_URL)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from artisans.models import Shop

from .models import Collection, Motif, Product


class SiteSitemap(Sitemap):
    """Each page once per language, with hreflang alternates, under SITE_URL (not the Sites
    framework's example.com)."""

    i18n = True
    alternates = True
    x_default = True

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"


class ProductSitemap(SiteSitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Product.objects.published().only("slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("catalog:product-detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class ShopSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Shop.objects.approved().only("slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("artisans:shop-detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


class MotifSitemap(SiteSitemap):
    """Each motif's page is the catalog filtered by it."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Motif.objects.only("slug").order_by("position", "pk")

    def location(self, item):
        return f"{reverse('catalog:product-list')}?motif={item.slug}"


class PageSitemap(SiteSitemap):
    priority = 0.8
    changefreq = "daily"

    def items(self):
        return ["catalog:home", "catalog:product-list"]

    def location(self, item):
        return reverse(item)


class CollectionSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Collection.objects.published().only("slug").order_by("pk")

    def location(self, item):
        return reverse("catalog:collection-detail", args=[item.slug])


SITEMAPS = {
    "pages": PageSitemap,
    "products": ProductSitemap,
    "shops": ShopSitemap,
    "motifs": MotifSitemap,
    "collections": CollectionSitemap,
}
