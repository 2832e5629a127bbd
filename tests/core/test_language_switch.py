"""The language links keep the visitor on the same page, with i18n_patterns' /en/ prefix."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _links(html: str) -> dict[str, str]:
    import re

    return dict(
        (code, url)
        for url, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+"', html)
    )


def test_from_indonesian_catalog_to_english_and_back(client):
    links = _links(client.get("/batik/?q=paku").content.decode())
    assert links["en"] == "/en/batik/?q=paku"

    response = client.get(links["en"])
    assert '<html lang="en">' in response.content.decode()
    back = _links(response.content.decode())["id"]
    assert back == "/batik/?q=paku"
    assert '<html lang="id">' in client.get(back).content.decode()


def test_current_language_is_marked(client):
    html = client.get("/en/").content.decode()
    assert 'hreflang="en" lang="en" aria-current="true"' in html
    assert 'hreflang="id" lang="id" aria-current="true"' not in html


def test_stylesheet_stays_small():
    from pathlib import Path

    css = Path(settings.BASE_DIR, "static/css/site.css")
    assert css.stat().st_size < 40_000
    assert "@import" not in css.read_text() and "http" not in css.read_text()
