"""On a phone, a made-to-order product page shows the ready date for the quantity chosen."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.factories import make_product, make_shop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_ready_date_follows_the_size_and_quantity(open_browser):
    # given a shop that finishes 2 pieces a week, nothing in its queue, and a signed-out visitor
    shop = make_shop(weekly_capacity=2)
    kain = make_product(
        shop=shop, is_made_to_order=True, lead_time_days=1, options=[("M", 0, 0), ("L", 0, 0)]
    )
    page = open_browser(PHONE)
    tag = page.locator("[data-ready-url]")

    def siap(days: int) -> str:
        with override("id"):
            day = date_format(timezone.localdate() + timedelta(days=days), "j M Y")
        return f"Dibuat sesuai pesanan: siap sekitar {day}"

    # when the page opens, no size is chosen and the lead time shows
    page.goto(kain.get_absolute_url())
    expect(tag).to_have_text("Dibuat sesuai pesanan: siap dalam sekitar 1 hari")
    expect(page.locator("form.add-to-cart input[name=option]:checked")).to_have_count(0)
    # and once a size is chosen, the date for one piece (4 days: 7/2)
    page.locator("label.option", has_text="L").click()
    page.wait_for_function(
        "text => document.querySelector('[data-ready-url]').textContent === text", arg=siap(4)
    )
    # and when the visitor asks for 6 pieces, the date is three weeks out
    page.fill("#quantity", "6")
    page.wait_for_function(
        "text => document.querySelector('[data-ready-url]').textContent === text", arg=siap(21)
    )
    assert tag.text_content() == siap(21)
