"""Shop settings in the dashboard: members edit their own shop only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from artisans import services
from artisans.models import Shop, ShopMember
from tests.artisans.conftest import jpeg_upload
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db

PROFILE = "/en/dasbor/toko/"
VACATION = "/en/dasbor/toko/libur/"
VIEWS = [PROFILE, VACATION]


def _profile_data(**extra):
    data = {
        "story": "Cerita baru.",
        "address": "Jl. Baru 1",
        "whatsapp": "0812 5000 1234",
        "down_payment_percent": "30",
    }
    data.update(extra)
    return data


def test_the_owner_sets_the_down_payment_made_to_order_work_asks(client):
    shop = make_shop()
    client.force_login(shop.owner)
    client.post(PROFILE, _profile_data(down_payment_percent="40"))
    shop.refresh_from_db()
    assert shop.down_payment_percent == 40
    response = client.post(PROFILE, _profile_data(down_payment_percent="90"))
    assert (
        response.status_code == 200
        and "not one of the available choices" in response.content.decode()
    )
    shop.refresh_from_db()
    assert shop.down_payment_percent == 40


def test_the_owner_edits_story_contact_photo_banner_and_motifs(client, motif):
    shop = make_shop()
    client.force_login(shop.owner)

    response = client.post(
        PROFILE,
        _profile_data(photo=jpeg_upload(), banner=jpeg_upload("b.jpg"), motifs=[motif.pk]),
    )

    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.story == "Cerita baru."
    assert shop.whatsapp == "+6281250001234"
    assert shop.photo.name.startswith("shops/photos/")
    assert shop.banner.name.startswith("shops/banners/")
    assert list(shop.motifs.all()) == [motif]


def test_the_profile_keeps_photos_when_none_is_uploaded(client):
    shop = make_shop()
    client.force_login(shop.owner)
    client.post(PROFILE, _profile_data(photo=jpeg_upload()))
    shop.refresh_from_db()
    photo = shop.photo.name

    client.post(PROFILE, _profile_data(story="Lagi."))

    shop.refresh_from_db()
    assert shop.photo.name == photo
    assert shop.story == "Lagi."


def test_a_bad_whatsapp_number_or_photo_is_refused(client):
    shop = make_shop()
    client.force_login(shop.owner)
    response = client.post(PROFILE, _profile_data(whatsapp="12345"))
    assert "Enter a valid Indonesian mobile number" in response.content.decode()
    response = client.post(PROFILE, _profile_data(photo=SimpleUploadedFile("x.jpg", b"<svg/>")))
    assert "JPEG, PNG or WebP format" in response.content.decode()
    shop.refresh_from_db()
    assert shop.whatsapp == "+6281250000000" and not shop.photo


def test_name_and_district_cannot_be_changed_by_the_shop(client):
    shop = make_shop(name="Batik Asli")
    client.force_login(shop.owner)
    client.post(PROFILE, _profile_data(name="Changed", district="bengalon"))
    shop.refresh_from_db()
    assert shop.name == "Batik Asli" and shop.district == "sangatta-utara"


def test_a_staff_member_may_also_edit(client):
    shop = make_shop()
    staff = make_user()
    ShopMember.objects.create(shop=shop, user=staff, role=ShopMember.Role.STAFF)
    client.force_login(staff)
    assert client.post(PROFILE, _profile_data()).status_code == 302
    shop.refresh_from_db()
    assert shop.story == "Cerita baru."


def test_vacation_on_and_off(client):
    shop = make_shop()
    client.force_login(shop.owner)
    back = timezone.localdate() + datetime.timedelta(days=10)

    response = client.post(
        VACATION, {"action": "start", "until": back.isoformat(), "message": "Pameran"}
    )

    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.is_on_vacation and shop.vacation_until == back and not shop.accepts_orders
    assert 'data-testid="vacation-notice"' in client.get(f"/en/toko/{shop.slug}/").content.decode()

    client.post(VACATION, {"action": "end"})
    shop.refresh_from_db()
    assert shop.accepts_orders


def test_a_return_date_in_the_past_is_refused(client):
    shop = make_shop()
    client.force_login(shop.owner)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(VACATION, {"action": "start", "until": yesterday.isoformat()})
    assert "must be today or later" in response.content.decode()
    shop.refresh_from_db()
    assert not shop.is_on_vacation


@pytest.mark.parametrize("url", VIEWS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    assert "/login/" in client.get(url)["Location"]
    assert "/login/" in client.post(url, _profile_data())["Location"]


@pytest.mark.parametrize("url", VIEWS)
def test_a_buyer_without_a_shop_is_sent_to_apply_and_changes_nothing(client, url):
    shop = make_shop()
    client.force_login(make_user())

    response = client.post(url, {**_profile_data(), "action": "start"})

    assert response.status_code == 302
    assert response["Location"].endswith("/toko/buka-toko/")
    shop.refresh_from_db()
    assert shop.story == "" and not shop.is_on_vacation


@pytest.mark.parametrize("url", VIEWS)
def test_another_artisan_only_ever_changes_their_own_shop(client, url):
    shop = make_shop()
    other = make_shop()
    client.force_login(other.owner)

    client.post(url, {**_profile_data(), "action": "start"})

    shop.refresh_from_db()
    assert shop.story == "" and not shop.is_on_vacation
    page = client.get(url).content.decode()
    assert shop.name not in page


def test_members_of_a_pending_shop_cannot_go_on_vacation(client):
    shop = make_shop(status=Shop.Status.PENDING)
    client.force_login(shop.owner)
    response = client.post(VACATION, {"action": "start"})
    assert "Only an approved shop can go on vacation." in response.content.decode()


def test_the_profile_shows_the_shops_motifs_and_clearing_them_removes_them(client, motif):
    shop = make_shop()
    motif.shops.add(shop)
    client.force_login(shop.owner)

    page = client.get(PROFILE).content.decode()
    assert f'value="{motif.pk}" id="id_motifs_0" checked' in page

    client.post(PROFILE, _profile_data())

    assert not shop.motifs.exists()


def test_date_fields_show_the_saved_date_in_the_form_browsers_read(client):
    # A date field (<input type="date">) only shows a value written as YYYY-MM-DD; an Indonesian
    # "25-12-2026" leaves it empty, and the maker would think the date was lost.
    shop = make_shop()
    back = timezone.localdate() + datetime.timedelta(days=20)
    services.set_vacation(shop=shop, until=back, message="Pameran")
    client.force_login(shop.owner)
    for language in ("", "/en"):
        page = client.get(f"{language}/dasbor/toko/libur/").content.decode()
        assert f'value="{back.isoformat()}"' in page
