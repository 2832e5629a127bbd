"""On a phone, a buyer switches to English and meets no Indonesian UI word on the way to a batik."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import Fabric, Motif, ProductType, Technique
from catalog.services import add_product_images
from tests.e2e.conftest import PHONE, jpeg_bytes
from tests.factories import make_product, make_shop
from tests.ui_language import foreign_words

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_switching_to_english_on_a_phone_leaves_no_indonesian_ui_word(open_browser):
    # given a shop with a listing that has its English title, and terms with English names
    shop = make_shop(name="Batik Paku Sangatta", story="Kami membatik di tepi sungai Sangatta.")
    product = make_product(
        shop=shop,
        title="Kemeja Batik Tulis Motif Paku Biru",
        title_en="Tulis Batik Shirt, Paku Motif, Blue",
        description="Digambar dengan canting di atas katun primisima.",
        description_en="Drawn with a canting on primisima cotton.",
        options=[("M", 0, 3), ("L", 0, 2)],
    )
    Motif.objects.filter(slug="paku").update(name_en="Paku (fern)", story_en="A young fern.")
    Technique.objects.filter(slug="tulis").update(name_en="Tulis (hand-drawn)")
    Fabric.objects.filter(slug="katun-primisima").update(name_en="Primisima cotton")
    ProductType.objects.filter(slug="kain").update(name_en="Kain (cloth)")
    add_product_images(
        shop=shop,
        product=product,
        files=[SimpleUploadedFile("kemeja.jpg", jpeg_bytes(), "image/jpeg")],
    )
    content = [shop.name, shop.story, shop.address, product.title, product.description, "M", "L"]
    page = open_browser(PHONE)

    # when the buyer opens the home page and picks English in the footer
    page.goto("/")
    page.locator(".footer-languages a[hreflang='en']").click()
    page.wait_for_url("**/en/")

    # then the home page, the catalog and the product page say no Indonesian UI word
    assert foreign_words(page.content(), language="en", content=content) == {}
    page.locator("footer a", has_text="All batik").click()
    page.wait_for_url("**/en/batik/")
    assert page.locator(".card h3", has_text="Tulis Batik Shirt, Paku Motif, Blue").count() == 1
    assert foreign_words(page.content(), language="en", content=content) == {}
    page.locator(".card a", has_text="Tulis Batik Shirt").first.click()
    page.wait_for_url(f"**/en{product.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Tulis Batik Shirt, Paku Motif, Blue"
    assert foreign_words(page.content(), language="en", content=content) == {}
