"""Every page is served with a Content-Security-Policy that forbids inline script."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_product

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.I)


def test_public_pages_have_a_strict_policy_and_no_inline_script(client):
    product = make_product()
    pages = [
        reverse("catalog:home"),
        reverse("catalog:product-list"),
        reverse("catalog:product-list") + "?motif=paku&sort=price-asc",
        product.get_absolute_url(),
        product.shop.get_absolute_url(),
        reverse("orders:cart"),
        reverse("account_login"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response["Content-Security-Policy"].split(";")
        )
        assert policy["script-src"].startswith("'self'") and "unsafe" not in policy["script-src"]
        assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        sources = policy["script-src"].split()
        assert len(sources) == len(set(sources))  # each address once
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url


def test_card_payments_may_load_stripe(settings):
    assert "https://js.stripe.com" in settings.SECURE_CSP["script-src"]
    assert "https://hooks.stripe.com" in settings.SECURE_CSP["frame-src"]
    assert "https://api.stripe.com" in settings.SECURE_CSP["connect-src"]
