"""What a link preview and a search engine read: OpenGraph and Twitter tags, and the canonical URL.

Every address is the site's public one (SITE_URL), whatever Host the request came with: signed-out
pages are cached per path, so the first visitor's Host must never end up in them.
"""

import re
from html import unescape

import pytest
from django.core.files.base import ContentFile

from catalog.models import Collection, CollectionItem
from tests.catalog.conftest import add_image, jpeg_bytes
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db

SITE = "https://batik-kutim.id"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def _meta(html: str, name: str) -> str | None:
    """The content of the <meta property=…> or <meta name=…> called `name` (the only one)."""
    found = re.findall(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)">', html)
    assert len(found) <= 1, f"{name} appears {len(found)} times"
    return unescape(found[0]) if found else None


def _canonical(html: str) -> str:
    found = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    assert len(found) == 1, f"{len(found)} canonical links"
    return unescape(found[0])


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _shares_well(html: str) -> None:
    """The tags every shared page carries, the image at the public address."""
    assert _meta(html, "og:title")
    assert _meta(html, "og:description")
    assert _meta(html, "og:site_name") == "Batik Kutai Timur"
    assert _meta(html, "og:url") == _canonical(html)
    assert _meta(html, "og:image").startswith(f"{SITE}/")
    assert _meta(html, "twitter:card") == "summary_large_image"
    assert _meta(html, "twitter:image") == _meta(html, "og:image")
    assert _meta(html, "twitter:title") == _meta(html, "og:title")


def test_the_home_page_shares_with_a_featured_batik_photo(client):
    product = make_product(title="Kain Paku Biru", is_featured=True)
    image = add_image(product)
    html = _page(client, "/en/?utm_source=whatsapp")
    _shares_well(html)
    assert _meta(html, "og:image") == SITE + image.image.url
    assert _canonical(html) == f"{SITE}/en/"


def test_an_empty_home_page_shares_the_site_image(client):
    html = _page(client, "/")
    _shares_well(html)
    assert re.fullmatch(rf"{SITE}/static/img/share[^/]*\.png", _meta(html, "og:image"))
    assert _canonical(html) == f"{SITE}/"


def test_the_catalog_shares_its_first_batik_and_keeps_only_its_filters_in_the_canonical(client):
    paku = make_product(motif="paku")
    image = add_image(paku)
    html = _page(
        client, "/batik/?verified=&motif=paku&utm_source=ig&fbclid=abc&utm_campaign=launch"
    )
    _shares_well(html)
    assert _meta(html, "og:image") == SITE + image.image.url
    assert _canonical(html) == f"{SITE}/batik/?motif=paku"


def test_the_same_filters_in_another_order_have_one_canonical(client):
    make_product(motif="paku")
    make_product(motif="sawit")
    first = _page(client, "/batik/?district=sangatta-utara&motif=sawit&motif=paku&motif=paku")
    second = _page(client, "/batik/?motif=sawit&district=sangatta-utara&motif=paku")
    assert _canonical(first) == _canonical(second)
    assert _canonical(first) == f"{SITE}/batik/?motif=sawit&motif=paku&district=sangatta-utara"


def test_a_later_page_is_its_own_canonical_but_another_order_points_to_the_default_one(
    client, settings
):
    for _ in range(30):
        make_product(motif="paku")
    assert _canonical(_page(client, "/batik/?motif=paku&page=2")) == (
        f"{SITE}/batik/?motif=paku&page=2"
    )
    # The first page is the list itself.
    assert _canonical(_page(client, "/batik/?page=1&motif=paku")) == f"{SITE}/batik/?motif=paku"
    # Sorted by price or shown 48 at a time, it is the same batik: the default order's first page.
    for url in ("/batik/?motif=paku&sort=price-asc&page=2", "/batik/?motif=paku&per_page=48"):
        assert _canonical(_page(client, url)) == f"{SITE}/batik/?motif=paku"


def test_a_search_keeps_its_words_in_the_canonical(client):
    make_product(title="Kemeja Paku")
    html = _page(client, "/en/batik/?q=kemeja+paku&gclid=xyz")
    assert _canonical(html) == f"{SITE}/en/batik/?q=kemeja+paku"


def test_a_shop_shares_its_banner(client):
    shop = make_shop(name="Batik Paku Sangatta")
    shop.banner.save("banner.jpg", ContentFile(jpeg_bytes((1200, 400))))
    url = f"/en{shop.get_absolute_url()}"
    html = _page(client, f"{url}?utm_source=wa")
    _shares_well(html)
    assert _meta(html, "og:title") == "Batik Paku Sangatta"
    assert _meta(html, "og:image") == SITE + shop.banner.url
    assert _canonical(html) == SITE + url


def test_a_shop_without_a_banner_shares_its_photo(client):
    shop = make_shop()
    shop.photo.save("photo.jpg", ContentFile(jpeg_bytes((400, 400))))
    html = _page(client, shop.get_absolute_url())
    _shares_well(html)
    assert _meta(html, "og:image") == SITE + shop.photo.url


def test_a_collection_without_its_own_image_shares_its_first_batik(client):
    first, second = make_product(), make_product()
    add_image(second)
    image = add_image(first)
    collection = Collection.objects.create(
        title="Seragam Dinas", slug="seragam", description="Kemeja untuk kantor.", is_published=True
    )
    for position, product in enumerate([first, second]):
        CollectionItem.objects.create(collection=collection, product=product, position=position)
    html = _page(client, collection.get_absolute_url() + "?ref=newsletter")
    _shares_well(html)
    assert _meta(html, "og:title") == "Seragam Dinas"
    assert _meta(html, "og:description") == "Kemeja untuk kantor."
    assert _meta(html, "og:image") == SITE + image.image.url
    assert _canonical(html) == SITE + collection.get_absolute_url()


def test_the_product_page_uses_the_public_address_not_the_request_host(client):
    product = make_product()
    image = add_image(product)
    html = _page(client, product.get_absolute_url() + "?utm_source=wa")
    assert _canonical(html) == SITE + product.get_absolute_url()
    assert _meta(html, "og:url") == SITE + product.get_absolute_url()
    assert _meta(html, "og:image") == SITE + image.image.url
    assert "testserver" not in html


def test_a_cached_page_keeps_the_canonical_of_its_own_address(client):
    make_product(motif="paku")
    _page(client, "/batik/?motif=paku")
    cached = client.get("/batik/?motif=paku")
    assert cached["X-Catalog-Cache"] == "hit"
    assert _canonical(cached.content.decode()) == f"{SITE}/batik/?motif=paku"
    other = _page(client, "/batik/?motif=paku&sort=price-asc")
    assert _canonical(other) == f"{SITE}/batik/?motif=paku"


def test_other_public_pages_have_a_canonical_without_their_query(client):
    html = _page(client, "/akun/login/?next=/pesanan/")
    assert _canonical(html) == f"{SITE}/akun/login/"


def test_the_home_page_shares_the_heros_picture_when_a_collection_has_one(client):
    product = make_product(is_featured=True)
    add_image(product)
    collection = Collection.objects.create(title="Seragam", slug="seragam", is_published=True)
    CollectionItem.objects.create(collection=collection, product=product, position=0)
    collection.image.save("seragam.jpg", ContentFile(jpeg_bytes((1200, 630))))
    html = _page(client, "/")
    _shares_well(html)
    assert _meta(html, "og:image") == SITE + collection.image.url
