"""Small things a buyer notices on the product page, the cart and the cards."""

import re

import pytest

from catalog.models import Colour
from tests.catalog.conftest import add_image
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def test_a_product_without_reviews_says_so_once(client):
    product = make_product()
    html = client.get(product.get_absolute_url()).content.decode()
    assert html.count("Belum ada ulasan") == 1


def test_a_shop_without_reviews_says_so_once(client):
    shop = make_shop()
    make_product(shop=shop)
    html = client.get(shop.get_absolute_url()).content.decode()
    assert html.count("Belum ada ulasan") == 1


def test_no_size_is_chosen_for_the_buyer(client):
    product = make_product(options=[("S", 0, 3), ("M", 0, 3), ("L", 0, 0)])
    html = client.get(product.get_absolute_url()).content.decode()
    chooser = html[html.index('class="option-chooser"') : html.index("</fieldset>")]
    assert chooser.count('type="radio"') == 3
    assert " checked" not in chooser
    assert chooser.count(" required") == 3


def test_adding_without_a_size_goes_back_to_the_product_with_a_clear_message(client):
    product = make_product(title="Kemeja Paku", options=[("S", 0, 3), ("M", 0, 3)])
    response = client.post(
        "/en/pesanan/keranjang/tambah/",
        {"product": product.pk, "quantity": 1},
        follow=True,
    )
    url, _status = response.redirect_chain[-1]
    assert url == f"/en/batik/{product.slug}/"
    html = response.content.decode()
    assert "Choose a size or option first, then add it to the cart." in html
    assert 'data-testid="cart-count">0<' in html


def test_a_single_option_needs_no_choosing(client):
    product = make_product(stock=4)
    html = client.get(product.get_absolute_url()).content.decode()
    option = product.options.get()
    assert f'<input type="hidden" name="option" value="{option.pk}">' in html


def test_the_cart_shows_a_thumbnail_per_line(client):
    with_photo = make_product(title="Kain Paku")
    image = add_image(with_photo, thumbnails={"320": "products/thumbs/kain-320.webp"})
    without_photo = make_product(title="Selendang Sawit")
    for product in (with_photo, without_photo):
        client.post(
            "/pesanan/keranjang/tambah/", {"option": product.options.get().pk, "quantity": 1}
        )

    html = client.get("/pesanan/keranjang/").content.decode()

    lines = re.findall(r'<li class="cart-line".*?</li>', html, re.S)
    assert len(lines) == 2
    photo_line = next(line for line in lines if "Kain Paku" in line)
    assert re.search(r'<img [^>]*src="/media/products/thumbs/kain-320\.webp"', photo_line)
    assert image.image.url not in photo_line  # the small thumbnail, not the full photo
    other = next(line for line in lines if "Selendang Sawit" in line)
    assert "cart-thumb" in other  # a placeholder keeps the lines aligned


def test_a_card_keeps_the_motif_and_colour_visible_beside_a_long_title(client):
    product = make_product(
        title="Kemeja Batik Tulis Lengan Panjang Motif Telapak Tangan Cokelat Soga",
        motif="telapak-tangan",
    )
    product.colours.add(
        Colour.objects.create(slug="cokelat-soga", name="Cokelat Soga", hex="#7a4a22")
    )
    html = client.get("/batik/").content.decode()
    card = html[html.index('class="card product-card"') :]
    card = card[: card.index("</article>")]
    assert re.search(r'<p class="card-tags">Telapak Tangan · Cokelat Soga</p>', card)
