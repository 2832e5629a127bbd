"""Applying to sell: who may apply, what is checked, and what the applicant sees after."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from artisans.models import Shop, ShopEvent
from artisans.services import approve_shop, reject_shop
from tests.artisans.conftest import jpeg_upload
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db

APPLY = "/en/toko/buka-toko/"
MINE = "/en/toko/saya/"


def _stored_files(media_root) -> list[Path]:
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def test_a_verified_user_applies_and_waits_for_review(client, application, motif, media_root):
    user = make_user()
    client.force_login(user)

    response = client.post(
        APPLY, {**application, "photo": jpeg_upload(), "banner": jpeg_upload("b.png")}
    )

    assert response.status_code == 302
    assert response["Location"] == MINE
    shop = Shop.objects.get(owner=user)
    assert shop.status == Shop.Status.PENDING
    assert shop.whatsapp == "+6281251234567"
    assert shop.slug == "batik-daun-singkong"
    assert list(shop.motifs.all()) == [motif]
    assert shop.techniques.count() == 1
    assert shop.has_member(user)
    assert shop.photo.name.endswith(".jpg") and shop.banner.name
    assert shop.events.get().action == ShopEvent.Action.SUBMITTED
    page = client.get(MINE).content.decode()
    assert "Waiting for review" in page


def test_a_user_with_an_unconfirmed_email_cannot_apply(client, application):
    user = make_user(verified=False)
    client.force_login(user)

    assert client.get(APPLY).status_code == 403
    response = client.post(APPLY, application)

    assert response.status_code == 403
    assert "confirm your email address" in response.content.decode()
    assert not Shop.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(APPLY)
    assert response.status_code == 302
    assert "/akun/login/" in response["Location"]


def test_a_bad_whatsapp_number_is_refused_with_a_message(client, application):
    client.force_login(make_user())

    response = client.post(APPLY, {**application, "whatsapp": "+1 555 0100"})

    assert response.status_code == 200
    assert "Enter a valid Indonesian mobile number" in response.content.decode()
    assert not Shop.objects.exists()


def test_a_district_outside_kutai_timur_is_refused(client, application):
    client.force_login(make_user())
    response = client.post(APPLY, {**application, "district": "balikpapan"})
    assert response.status_code == 200
    assert not Shop.objects.exists()


def test_a_bad_photo_is_refused_with_a_message_and_nothing_is_stored(
    client, application, media_root
):
    client.force_login(make_user())
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, format="GIF")

    response = client.post(
        APPLY,
        {
            **application,
            "photo": SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg"),
            "banner": jpeg_upload(),
        },
    )

    assert response.status_code == 200
    assert "JPEG, PNG or WebP format" in response.content.decode()
    assert not Shop.objects.exists()
    assert _stored_files(media_root) == []


def test_a_huge_photo_is_shrunk_before_it_is_stored(client, application):
    user = make_user()
    client.force_login(user)
    client.post(APPLY, {**application, "photo": jpeg_upload(size=(3000, 1500))})
    with Image.open(Shop.objects.get(owner=user).photo.path) as image:
        assert max(image.size) == 800


def test_one_open_application_per_user(client, application):
    user = make_user()
    make_shop(owner=user, status=Shop.Status.PENDING)
    client.force_login(user)

    response = client.post(APPLY, {**application, "name": "Second shop"})

    assert response.status_code == 302
    assert response["Location"] == MINE
    assert Shop.objects.filter(owner=user).count() == 1


def test_approval_makes_the_shop_public(client, application):
    user = make_user()
    client.force_login(user)
    client.post(APPLY, application)
    shop = Shop.objects.get(owner=user)
    client.logout()
    assert client.get(f"/en/toko/{shop.slug}/").status_code == 404

    approve_shop(shop=shop, by=make_user(is_staff=True))

    response = client.get(f"/en/toko/{shop.slug}/")
    assert response.status_code == 200
    assert "Batik Daun Singkong" in response.content.decode()


def test_after_rejection_the_applicant_reads_the_reason_and_sends_again(client, application):
    user = make_user()
    client.force_login(user)
    client.post(APPLY, application)
    shop = Shop.objects.get(owner=user)
    reject_shop(shop=shop, by=make_user(is_staff=True), reason="Photo of the workshop missing.")

    status_page = client.get(MINE).content.decode()
    assert "Photo of the workshop missing." in status_page
    assert reverse("shop-apply") in status_page
    form_page = client.get(APPLY).content.decode()
    assert "Photo of the workshop missing." in form_page
    assert "Batik Daun Singkong" in form_page  # the form keeps what was sent

    response = client.post(APPLY, {**application, "story": "Now with a workshop photo."})

    assert response.status_code == 302
    shop.refresh_from_db()
    assert Shop.objects.filter(owner=user).count() == 1
    assert shop.status == Shop.Status.PENDING
    assert shop.rejection_reason == ""
    assert shop.story == "Now with a workshop photo."
    assert [event.action for event in shop.events.order_by("pk")] == [
        "submitted",
        "rejected",
        "resubmitted",
    ]
    assert "Waiting for review" in client.get(MINE).content.decode()


def test_my_shop_page_invites_users_without_a_shop_to_apply(client):
    client.force_login(make_user())
    page = client.get(MINE).content.decode()
    assert "You have no shop yet." in page
    assert reverse("shop-apply") in page


def test_a_shop_name_never_takes_a_reserved_path(client, application):
    user = make_user()
    client.force_login(user)
    client.post(APPLY, {**application, "name": "Saya"})
    assert Shop.objects.get(owner=user).slug == "toko-saya"
