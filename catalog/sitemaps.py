from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Product


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Product.objects.published().only("slug", "updated_at").order_by("pk")

    def location(self, item):
        return reverse("catalog:product-detail", args=[item.slug])

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"products": ProductSitemap}
