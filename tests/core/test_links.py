"""Links to pages a higher app owns, by page name."""

import pytest
from django.urls import NoReverseMatch
from django.utils import translation

from core import links


def test_a_page_resolves_to_the_owners_url_in_the_active_language():
    with translation.override("en"):
        assert links.url("shop-order", 7) == "/en/dasbor/pesanan/7/"
    assert links.url("shop-profile") == "/dasbor/toko/"


def test_a_page_no_app_provides_fails_loudly():
    with pytest.raises(NoReverseMatch):
        links.url("no-such-page")
