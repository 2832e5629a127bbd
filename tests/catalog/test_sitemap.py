"""The sitemap search engines read: the real site address, both languages, shops and collections."""

import pytest

from catalog.models import Collection
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def test_the_sitemap_names_the_real_site_both_languages_shops_and_collections(client, settings):
    settings.SITE_URL = "https://batik-kutim.id"
    shop = make_shop(slug="batik-pakis")
    make_product(shop=shop, slug="kain-paku-1")
    Collection.objects.create(title="Seragam kantor", slug="seragam-kantor", is_published=True)
    Collection.objects.create(title="Belum terbit", slug="draf-koleksi", is_published=False)

    xml = client.get("/sitemap.xml").content.decode()

    assert "example.com" not in xml
    assert "<loc>https://batik-kutim.id/batik/kain-paku-1/</loc>" in xml
    assert 'hreflang="en" href="https://batik-kutim.id/en/batik/kain-paku-1/"' in xml
    assert 'hreflang="id" href="https://batik-kutim.id/batik/kain-paku-1/"' in xml
    assert "https://batik-kutim.id/koleksi/seragam-kantor/" in xml
    assert "draf-koleksi" not in xml
    assert f"/pembatik/{shop.slug}/" in xml or f"/{shop.slug}/" in xml
