"""On a phone, a buyer saves a batik and follows its maker, finds both in the account menu's
lists, and unfollows from the list."""

import pytest
from playwright.sync_api import expect

from tests.e2e import steps
from tests.e2e.conftest import PHONE
from tests.factories import make_product, make_shop, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _menu_link(page, href: str):
    steps.open_menu(page)
    return page.locator(f".menu-panel a[href='{href}']")


def test_favourite_and_follow_then_both_lists_then_unfollow(open_browser):
    shop = make_shop(name="Batik Paku Sangatta")
    kain = make_product(shop=shop, title="Kain Batik Tulis Motif Paku Biru Indigo")
    buyer = make_user()
    page = open_browser(PHONE)
    steps.log_in(page, buyer.email)

    # given the product page, the buyer saves the batik
    page.goto(kain.get_absolute_url())
    save = page.locator(f"form[action$='/batik/favorit/{kain.pk}/'] button")
    expect(save).to_have_attribute("aria-pressed", "false")
    save.click()
    page.wait_for_load_state()
    expect(save).to_have_attribute("aria-pressed", "true")

    # and follows its maker from the shop page
    page.locator(".maker-card h2 a").click()
    page.wait_for_url(f"**{shop.get_absolute_url()}")
    page.locator(f"form[action$='/toko/{shop.slug}/ikuti/'] button").click()
    page.wait_for_load_state()
    expect(page.locator(f"form[action$='/toko/{shop.slug}/berhenti-ikuti/']")).to_have_count(1)

    # when the buyer opens the favourites from the account menu, the batik is there
    _menu_link(page, "/batik/favorit/").click()
    page.wait_for_url("**/batik/favorit/")
    cards = page.locator("main .product-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(kain.title)
    steps.assert_fits_width(page)

    # and the followed shops from the menu: the shop, with its link and an unfollow button
    _menu_link(page, "/toko/diikuti/").click()
    page.wait_for_url("**/toko/diikuti/")
    followed = page.get_by_test_id("followed-shop")
    expect(followed).to_have_count(1)
    expect(followed.locator(f"a[href='{shop.get_absolute_url()}']")).to_have_text(shop.name)
    steps.assert_fits_width(page)
    unfollow = followed.locator("button[type=submit]")
    box, row = unfollow.bounding_box(), followed.bounding_box()
    assert box["x"] + box["width"] <= row["x"] + row["width"], "the button overflows its row"

    # then unfollowing from the list leaves the buyer on the list, now empty
    unfollow.click()
    page.wait_for_url("**/toko/diikuti/")
    expect(page.locator(".messages")).to_contain_text("Batik Paku Sangatta")
    expect(page.get_by_test_id("followed-shop")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Belum ada toko yang Anda ikuti")
