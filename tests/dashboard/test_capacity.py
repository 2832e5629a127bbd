"""The shop profile's made-to-order capacity: pieces per week, days off, per product type."""

import pytest

from catalog.models import ProductType, ShopTypeCapacity
from tests.factories import make_shop

pytestmark = pytest.mark.django_db

PROFILE = "/en/dasbor/toko/"


def _profile_data(**extra):
    data = {
        "story": "Cerita.",
        "address": "Jl. Baru 1",
        "whatsapp": "0812 5000 1234",
        "down_payment_percent": "30",
    }
    data.update(extra)
    return data


def test_the_owner_states_pieces_per_week_days_off_and_a_types_own_pace(client):
    shop = make_shop()
    selendang = ProductType.objects.create(slug="selendang", name="Selendang")
    client.force_login(shop.owner)

    response = client.post(
        PROFILE,
        _profile_data(
            weekly_capacity="3", days_off=["7", "5"], **{f"type_capacity_{selendang.pk}": "10"}
        ),
    )

    assert response.status_code == 302
    shop.refresh_from_db()
    assert (shop.weekly_capacity, shop.weekdays_off) == (3, frozenset({5, 7}))
    assert ShopTypeCapacity.objects.get(shop=shop, product_type=selendang).weekly_capacity == 10
    page = client.get(PROFILE)
    assert page.context["capacity_form"]["days_off"].value() == [5, 7]

    client.post(PROFILE, _profile_data(weekly_capacity="3"))  # the type's figure emptied
    assert not ShopTypeCapacity.objects.filter(shop=shop).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekly_capacity": "0"}, "Give at least 1 piece a week."),
        ({"weekly_capacity": "-2"}, "Give at least 1 piece a week."),
        ({"days_off": [str(day) for day in range(1, 8)]}, "Leave at least one working day"),
    ],
)
def test_an_impossible_capacity_is_refused(client, data, message):
    shop = make_shop(weekly_capacity=2)
    client.force_login(shop.owner)
    response = client.post(PROFILE, _profile_data(**data))
    assert response.status_code == 200
    assert message in response.content.decode()
    shop.refresh_from_db()
    assert (shop.weekly_capacity, shop.days_off) == (2, "")


def test_a_types_pace_below_one_is_refused(client):
    shop = make_shop()
    kain = ProductType.objects.get_or_create(slug="kain", defaults={"name": "Kain"})[0]
    client.force_login(shop.owner)
    response = client.post(PROFILE, _profile_data(**{f"type_capacity_{kain.pk}": "0"}))
    assert "Give at least 1 piece a week." in response.content.decode()
    assert not ShopTypeCapacity.objects.exists()


def test_the_capacity_fields_speak_indonesian_first(client):
    shop = make_shop()
    client.force_login(shop.owner)
    page = client.get("/dasbor/toko/").content.decode()
    assert "Potong pesanan khusus (dibuat setelah dipesan) yang Anda selesaikan per minggu" in page
    assert "Hari Anda tidak bekerja" in page and "Jumat" in page
