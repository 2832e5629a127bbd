"""What a buyer sees before and after the cooperative edits something in the admin."""

from django.test import Client
from django.utils import translation

from catalog.models import Product
from tests.catalog.conftest import add_image
from tests.curation.conftest import change_form_data
from tests.factories import make_product


def visit(page: str | Product) -> tuple[int, str]:
    """A buyer's first visit: no cookies, so the whole cached response is used when there is one.

    In Indonesian, the site's first language (an admin request leaves English active).
    """
    translation.activate("id")
    url = page.get_absolute_url() if isinstance(page, Product) else page
    response = Client().get(url)
    return response.status_code, response.content.decode()


def seen(page: str | Product) -> str:
    status, content = visit(page)
    assert status == 200
    return content


def warm(*urls: str | Product) -> None:
    for url in urls:
        seen(url)
        seen(url)


def make_listing(title: str, **extra) -> Product:
    product = make_product(title=title, **extra)
    add_image(product)
    return product


def save_change_form(admin_client, capture, url: str, **changes):
    """Open an admin change form and save it with `changes`, as a browser would."""
    data = change_form_data(admin_client.get(url), **changes)
    with capture(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response
