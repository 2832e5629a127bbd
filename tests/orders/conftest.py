"""Order fixtures: an address in Kutai Timur, and helpers to place and pay orders."""

import pytest

from orders.models import ShippingProfile
from tests.factories import ADDRESS


@pytest.fixture
def address() -> dict[str, str]:
    return dict(ADDRESS)


def set_shipping(shop, **values) -> ShippingProfile:
    profile, _created = ShippingProfile.objects.update_or_create(shop=shop, defaults=values)
    return profile


def english_url(name: str, *args) -> str:
    """The English URL of a page, whatever language an earlier request left active."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        return reverse(name, args=args)


def address_post(prefix: str = "address", **changes) -> dict[str, str]:
    """The checkout's address fields as a browser posts them: the regions chosen by code."""
    values = {
        "recipient": ADDRESS["recipient"],
        "phone": ADDRESS["phone"],
        "street": ADDRESS["street"],
        "postal_code": ADDRESS["postal_code"],
        "province": ADDRESS["province_code"],
        "regency": ADDRESS["regency_code"],
        "district": ADDRESS["district_code"],
        "village": ADDRESS["village_code"],
        **changes,
    }
    return {f"{prefix}-{name}": value for name, value in values.items()}
