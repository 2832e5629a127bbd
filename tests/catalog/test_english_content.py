"""Listing content in English: English pages show a listing's, motif's, term's and collection's
English text where there is one, and the Indonesian text otherwise."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.models import Collection, CollectionItem, Colour, Motif, ProductType
from tests.factories import PASSWORD, make_product, make_shop

pytestmark = pytest.mark.django_db


def _url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def translated_product():
    product = make_product(
        title="Kemeja Batik Tulis Paku Biru",
        description="Dibuat dengan canting di atas katun.",
        title_en="Hand-drawn Fern Batik Shirt, Blue",
        description_en="Drawn with a canting on cotton.",
        motif="paku",
    )
    Motif.objects.filter(slug="paku").update(
        name_en="Paku (fern)",
        story="Pakis tumbuh di hutan Kutai Timur.",
        story_en="Ferns grow in the forests of Kutai Timur.",
    )
    ProductType.objects.filter(slug="kain").update(name_en="Cloth")
    return product


def test_the_product_page_shows_the_english_text_on_english_pages(client, translated_product):
    url = translated_product.get_absolute_url
    with translation.override("en"):
        english = client.get(url()).content.decode()
    indonesian = client.get(url()).content.decode()

    assert "Hand-drawn Fern Batik Shirt, Blue" in english
    assert "Drawn with a canting on cotton." in english
    assert "Paku (fern)" in english
    assert "Cloth" in english
    assert "Kemeja Batik Tulis Paku Biru" not in english
    assert "Kemeja Batik Tulis Paku Biru" in indonesian
    assert "Dibuat dengan canting di atas katun." in indonesian
    assert "Hand-drawn Fern" not in indonesian


def test_cards_and_home_motifs_are_english_and_a_listing_without_english_keeps_its_title(
    client, translated_product
):
    make_product(title="Selendang Sutra Wakaroros", shop=translated_product.shop)
    catalog = client.get(_url("en", "catalog:product-list")).content.decode()
    assert "Hand-drawn Fern Batik Shirt, Blue" in catalog
    assert "Selendang Sutra Wakaroros" in catalog

    home = client.get(_url("en", "catalog:home")).content.decode()
    assert "Ferns grow in the forests of Kutai Timur." in home
    assert "Pakis tumbuh" not in home


def test_a_cards_motif_and_colour_and_the_product_pages_colours_read_in_english(
    client, translated_product
):
    translated_product.colours.add(
        Colour.objects.create(slug="biru", name="Biru Laut", name_en="Sea blue", hex="#1d4e89")
    )
    catalog = client.get(_url("en", "catalog:product-list")).content.decode()
    card = catalog[catalog.index('class="card product-card"') :]
    card = card[: card.index("</article>")]
    assert '<p class="card-tags">Paku (fern) · Sea blue</p>' in card

    with translation.override("en"):
        page = client.get(translated_product.get_absolute_url()).content.decode()
    assert "Sea blue" in page and "Biru Laut" not in page

    indonesian = client.get("/batik/").content.decode()
    assert '<p class="card-tags">Paku · Biru Laut</p>' in indonesian


def test_a_collection_reads_in_english(client, translated_product):
    collection = Collection.objects.create(
        title="Pilihan Musim Hujan",
        title_en="Rainy Season Picks",
        description="Batik untuk musim hujan.",
        description_en="Batik for the rainy season.",
        slug="musim-hujan",
        is_published=True,
    )
    CollectionItem.objects.create(collection=collection, product=translated_product)
    with translation.override("en"):
        page = client.get(collection.get_absolute_url()).content.decode()
    assert "Rainy Season Picks" in page
    assert "Batik for the rainy season." in page
    assert "Pilihan Musim Hujan" not in page
    home = client.get(_url("en", "catalog:home")).content.decode()
    assert "Rainy Season Picks" in home and "Batik for the rainy season." in home
    assert "Pilihan Musim Hujan" not in home


def test_a_maker_adds_the_english_title_and_description_in_the_listing_form(
    client, translated_product
):
    shop = make_shop()
    client.login(email=shop.owner.email, password=PASSWORD)
    product = make_product(shop=shop)
    form = client.get(_url("en", "dashboard:product-edit", product.pk)).content.decode()
    assert 'name="title_en"' in form
    assert 'name="description_en"' in form

    data = {
        "title": product.title,
        "title_en": "Fern Batik Cloth",
        "description": product.description,
        "description_en": "Hand-drawn on primisima cotton.",
        "motifs": [Motif.objects.get(slug="paku").pk],
        "technique": product.technique_id,
        "product_type": product.product_type_id,
        "price": "350.000",
        "options-TOTAL_FORMS": "1",
        "options-INITIAL_FORMS": "1",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-id": str(product.options.get().pk),
        "options-0-name": "",
        "options-0-price_delta": "0",
        "options-0-stock": "5",
    }
    response = client.post(_url("en", "dashboard:product-edit", product.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.title_en == "Fern Batik Cloth"
    assert product.description_en == "Hand-drawn on primisima cotton."
