"""At phone width the main pages fit the screen and run without JavaScript errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.services import add_product_images
from tests.e2e.conftest import PHONE, jpeg_bytes
from tests.factories import make_product, make_shop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_home_catalog_and_product_fit_a_phone(open_browser):
    # given a shop with a long name and a photographed product with sizes
    shop = make_shop(name="Toko Batik Telapak Tangan Sangatta Utara Sejahtera Bersama")
    product = make_product(
        shop=shop,
        motif="telapak-tangan",
        title="Kemeja Batik Tulis Motif Telapak Tangan Lengan Panjang Katun Primisima",
        options=[("S", 0, 2), ("M", 0, 3), ("XL", 25_000, 1)],
        is_featured=True,
    )
    add_product_images(
        shop=shop,
        product=product,
        files=[SimpleUploadedFile("kemeja.jpg", jpeg_bytes(), "image/jpeg")],
    )
    page = open_browser(PHONE)

    # when a phone opens the home, catalog and product pages, then none scrolls sideways
    for path in ("/", "/batik/", product.get_absolute_url()):
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
        assert _page_width(page) <= PHONE["width"], f"{path} scrolls sideways"

    # and the product's photo really loaded
    assert page.locator(".gallery img").first.evaluate("img => img.naturalWidth") > 0
