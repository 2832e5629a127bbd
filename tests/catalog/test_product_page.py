"""The product page: who may see it, what it shows, and what search engines read."""

import json
import re

import pytest
from django.utils import timezone

from catalog.models import Colour, Motif
from tests.catalog.conftest import add_image
from tests.factories import make_product, make_shop, make_user

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


@pytest.mark.parametrize(
    ("product_status", "shop_status"),
    [
        ("draft", "approved"),
        ("archived", "approved"),
        ("active", "pending"),
        ("active", "rejected"),
    ],
)
def test_hidden_products_are_404_for_buyers_and_visitors(client, product_status, shop_status):
    product = make_product(status=product_status, shop=make_shop(status=shop_status))
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(make_user())
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(make_shop().owner)  # another artisan
    assert client.get(product.get_absolute_url()).status_code == 404


def test_shop_members_preview_their_draft_with_a_banner(client):
    product = make_product(status="draft")
    client.force_login(product.shop.owner)
    response = client.get(f"/en/batik/{product.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: only members of your shop can see this page" in html
    assert '<meta name="robots" content="noindex">' in html


def test_open_graph_twitter_and_json_ld(client, settings):
    settings.SITE_URL = "https://batik-kutim.id"
    product = make_product(
        title="Kain Paku Biru", options=[("S", 0, 2), ("XL", 25_000, 0)], price=350_000
    )
    add_image(product)
    html = client.get(product.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Kain Paku Biru">' in html
    assert re.search(
        r'<meta property="og:image" content="https://batik-kutim.id/media/products/[^"]+\.jpg">',
        html,
    )
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert (
        f'<link rel="canonical" href="https://batik-kutim.id{product.get_absolute_url()}">' in html
    )
    data = json_ld(html)
    assert data["@type"] == "Product"
    assert data["name"] == "Kain Paku Biru"
    assert data["image"][0].startswith("https://batik-kutim.id/media/products/")
    assert data["offers"]["priceCurrency"] == "IDR"
    assert data["offers"]["lowPrice"] == 350_000
    assert data["offers"]["highPrice"] == 375_000
    assert data["offers"]["availability"] == "https://schema.org/InStock"


def test_json_ld_cannot_be_broken_out_of_by_the_description(client):
    product = make_product(description="</script><script>alert(1)</script>")
    html = client.get(product.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["description"] == "</script><script>alert(1)</script>"


def test_options_show_stock_price_difference_and_sold_out_is_disabled(client):
    product = make_product(options=[("M", 0, 3), ("XXL", 25_000, 0)])
    html = client.get(f"/en/batik/{product.slug}/").content.decode()
    sold_out = product.options.get(name="XXL")
    assert re.search(rf'value="{sold_out.pk}" required disabled', html)
    assert "(+Rp 25.000)" in html
    assert "3 left" in html
    assert 'action="/en/pesanan/keranjang/tambah/"' in html
    assert 'name="quantity"' in html


def test_options_in_their_order_with_every_motif_and_colour(client):
    # Given options set out of their creation order, two motifs and a colour
    product = make_product(options=[("S", 0, 1), ("M", 10_000, 2), ("L", 20_000, 3)])
    product.options.filter(name="S").update(position=9)
    product.motifs.add(Motif.objects.create(name="Sawit", slug="sawit", position=1))
    product.colours.add(Colour.objects.create(name="Indigo", slug="indigo", hex="#1d2b64"))
    # When a buyer opens the page
    html = client.get(f"/en/batik/{product.slug}/").content.decode()
    # Then the options come in the shop's order, and the facts name every motif and colour
    names = re.findall(r'<span class="option-name">([^<]*)</span>', html)
    assert names == ["M", "L", "S"]
    assert '?motif=paku">Paku</a>, <a href="/en/batik/?motif=sawit">Sawit</a>' in html
    assert 'style="background: #1d2b64"></span> Indigo' in html


def test_made_to_order_shows_lead_time_and_can_be_ordered(client):
    product = make_product(stock=0, is_made_to_order=True, lead_time_days=21)
    html = client.get(f"/en/batik/{product.slug}/").content.decode()
    assert "Made to order: ready in about 21 days" in html
    assert "https://schema.org/MadeToOrder" in html
    assert re.search(r'<button class="button" type="submit">Add to cart', html)


def test_vacation_notice_and_no_ordering(client):
    shop = make_shop(is_on_vacation=True, vacation_until=timezone.localdate())
    product = make_product(shop=shop)
    html = client.get(f"/en/batik/{product.slug}/").content.decode()
    assert "This shop is on vacation until" in html
    assert re.search(r'<button class="button" type="submit" disabled>Add to cart', html)


def test_maker_card_whatsapp_link_names_the_product(client):
    shop = make_shop(name="Batik Paku Sangatta", is_verified=True, whatsapp="+6281250001001")
    product = make_product(shop=shop, title="Selendang Paku")
    html = client.get(f"/en/batik/{product.slug}/").content.decode()
    assert "https://wa.me/6281250001001?text=" in html
    assert "Selendang%20Paku" in html
    assert "Verified Kutai Timur maker" in html
    assert f'href="/en/toko/{shop.slug}/"' in html


def test_related_products_same_motif_or_same_shop(client):
    product = make_product(motif="paku")
    same_motif = make_product(motif="paku", title="Another paku")
    same_shop = make_product(motif="sawit", shop=product.shop, title="Same maker sawit")
    make_product(motif="wakaroros", title="Unrelated")
    make_product(motif="paku", status="draft", title="Draft paku")
    html = client.get(product.get_absolute_url()).content.decode()
    related = html.split("related-heading", 1)[1]
    assert same_motif.title in related and same_shop.title in related
    assert "Unrelated" not in related and "Draft paku" not in related


def test_related_products_are_the_newest_work_with_the_motif(client, monkeypatch):
    # given more work with the motif than the page looks through (made small for the test)
    monkeypatch.setattr("catalog.views.product.RELATED_CANDIDATES", 3)
    oldest = make_product(motif="paku", title="Oldest paku")
    product = make_product(motif="paku")
    newer = [make_product(motif="paku", title=f"Newer paku {n}") for n in range(2)]
    html = client.get(product.get_absolute_url()).content.decode()
    related = html.split("related-heading", 1)[1]
    assert all(item.title in related for item in newer)
    assert oldest.title not in related


def test_gallery_uses_thumbnails_srcset_when_present(client):
    product = make_product()
    add_image(product, thumbnails={"320": "products/t-320.webp", "640": "products/t-640.webp"})
    html = client.get(product.get_absolute_url()).content.decode()
    assert 'srcset="/media/products/t-320.webp 320w, /media/products/t-640.webp 640w"' in html
    assert re.search(
        r'src="/media/products/t-640.webp" srcset="[^"]+" sizes="[^"]+" width="640" height="480"',
        html,
    )
    # Cards on other pages use them too, lazily.
    listing = client.get("/batik/").content.decode()
    assert re.search(
        r'<img src="/media/products/t-320.webp" srcset="[^"]+" sizes="[^"]+" width="320" height="240" alt="[^"]*" loading="lazy"',
        listing,
    )


def test_share_buttons(client, settings):
    settings.SITE_URL = "https://batik-kutim.id"
    product = make_product()
    html = client.get(product.get_absolute_url()).content.decode()
    assert "https://wa.me/?text=" in html
    assert "https://www.facebook.com/sharer/sharer.php?u=https%3A//batik-kutim.id" in html
    assert f'data-copy="https://batik-kutim.id{product.get_absolute_url()}"' in html


def test_sitemap_lists_products_shops_and_motifs(client):
    product = make_product(motif="paku")
    make_product(status="draft", slug="secret-draft")
    xml = client.get("/sitemap.xml").content.decode()
    assert product.get_absolute_url() in xml
    assert f"/toko/{product.shop.slug}/" in xml
    assert "/batik/?motif=paku" in xml
    assert "secret-draft" not in xml
