"""A maker prints hang tags on a phone; a buyer's camera reads a tag's QR code to the piece's page."""

import io

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from orders.provenance import register_pieces
from tests.e2e import steps
from tests.e2e.conftest import PHONE
from tests.factories import make_product, make_shop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_hang_tags_qr_code_opens_its_pieces_page(open_browser, settings, live_server):
    settings.SITE_URL = live_server.url
    shop = make_shop(name="Batik Paku Sangatta", is_verified=True)
    [piece] = register_pieces(product=make_product(shop=shop, motif="paku"), count=1, by=shop.owner)
    page = open_browser(PHONE)
    steps.log_in(page, shop.owner.email)
    page.goto("/dasbor/asal/label/")

    # the QR code as the browser draws it, read like a phone camera would
    tag = page.get_by_test_id("hang-tag").first
    picture = Image.open(io.BytesIO(tag.locator("svg").screenshot(scale="device")))
    [found] = zxingcpp.read_barcodes(
        picture.convert("L").resize((picture.width * 3, picture.height * 3))
    )
    assert found.text == f"{live_server.url}/asal/{piece.code}/"

    page.goto(found.text)
    expect(page.get_by_test_id("provenance-maker")).to_have_text("Batik Paku Sangatta")
    expect(page.get_by_test_id("verified-badge")).to_be_visible()
