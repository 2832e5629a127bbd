"""A buyer on a phone misspells a motif and the search still leads to it."""

import pytest
from playwright.sync_api import expect

from catalog.services import rebuild_search_index
from tests.e2e import steps
from tests.e2e.conftest import PHONE
from tests.factories import make_product, make_shop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_misspelt_motif_on_a_phone_leads_to_its_batik(open_browser):
    # given paku and sawit batik from two makers
    paku_shop = make_shop(name="Batik Paku Sangatta")
    make_product(shop=paku_shop, motif="paku", title="Kemeja Batik Tulis Motif Paku Hijau")
    make_product(shop=paku_shop, motif="paku", title="Selendang Batik Cap Motif Paku Ungu")
    make_product(shop=make_shop(name="Sawit Indah Bengalon"), motif="sawit", title="Kain Sawit")
    rebuild_search_index()
    page = open_browser(PHONE)

    # when the buyer searches "pakku" from the home page
    page.goto("/")
    steps.search(page, "pakku")

    # then the paku batik are shown, with "Maksud Anda: paku?" above them
    suggestion = page.get_by_test_id("did-you-mean")
    expect(suggestion).to_be_visible()
    expect(suggestion).to_contain_text("Maksud Anda:")
    cards = page.locator(".catalog-results .grid h3")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Paku")).to_have_count(2)
    steps.assert_fits_width(page)

    # and the suggestion leads to the search for "paku", which needs no suggestion
    steps.follow_suggestion(page, "paku")
    expect(page.locator("#site-search")).to_have_value("paku")
    expect(cards).to_have_count(2)
    expect(page.get_by_test_id("did-you-mean")).to_have_count(0)
    steps.assert_fits_width(page)
