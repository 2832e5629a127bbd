"""The footer's "Sell your batik" link takes each reader to the right next step."""

import re

import pytest

from artisans.models import Shop
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db


def _follow_the_footer_link(client, page: str = "/en/"):
    html = client.get(page).content.decode()
    href = re.search(r'<a href="([^"]+)" data-testid="sell-link">', html).group(1)
    return client.get(href, follow=True)


def test_a_signed_in_buyer_reaches_the_shop_application(client):
    client.force_login(make_user())
    response = _follow_the_footer_link(client)
    assert response.redirect_chain[-1][0] == "/en/toko/buka-toko/"
    assert response.status_code == 200
    assert 'name="name"' in response.content.decode()  # the application form


def test_a_maker_reaches_their_dashboard(client):
    shop = make_shop()
    client.force_login(shop.owner)
    response = _follow_the_footer_link(client)
    assert response.redirect_chain[-1][0] == "/en/dasbor/"
    assert response.status_code == 200


def test_a_visitor_signs_up_and_then_goes_on_to_the_application(client):
    response = _follow_the_footer_link(client)
    url, _status = response.redirect_chain[-1]
    assert url == "/en/akun/signup/?next=%2Fen%2Ftoko%2Fbuka-toko%2F"
    assert response.status_code == 200


def test_the_link_is_the_same_on_a_cached_page_for_everyone(client):
    # The footer of signed-out pages is cached whole: the link decides when it is followed.
    first = client.get("/en/").content.decode()
    client.force_login(make_user())
    second = client.get("/en/").content.decode()
    link = 'href="/en/toko/jual/"'
    assert link in first
    assert link in second


def test_a_rejected_applicant_reaches_the_form_to_correct_and_resend(client):
    shop = make_shop(status=Shop.Status.REJECTED)
    client.force_login(shop.owner)
    response = _follow_the_footer_link(client)
    assert response.redirect_chain[-1][0] == "/en/toko/buka-toko/"
    assert shop.rejection_reason in response.content.decode()


def test_a_suspended_maker_reads_their_shops_status(client):
    shop = make_shop(status=Shop.Status.SUSPENDED)
    client.force_login(shop.owner)
    response = _follow_the_footer_link(client)
    assert response.redirect_chain[-1][0] == "/en/toko/saya/"
    assert "Your shop is suspended" in response.content.decode()
