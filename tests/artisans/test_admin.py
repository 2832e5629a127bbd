"""The cooperative reviews shops through Django admin's own changelist actions."""

import pytest

from artisans.models import Shop
from tests.artisans.conftest import notices_to
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db

CHANGELIST = "/en/admin/artisans/shop/"


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def _action(client, action: str, shops, **extra):
    data = {"action": action, "_selected_action": [shop.pk for shop in shops], **extra}
    return client.post(CHANGELIST, data, follow=True)


def test_the_changelist_filters_and_searches(admin_client, django_assert_max_num_queries):
    pending = make_shop(status=Shop.Status.PENDING, name="Batik Wakaroros")
    make_shop(name="Batik Sawit")
    for _ in range(10):
        make_shop()

    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST + "?status__exact=pending")
    assert list(response.context["cl"].result_list) == [pending]
    response = admin_client.get(CHANGELIST + "?q=sawit")
    assert [shop.name for shop in response.context["cl"].result_list] == ["Batik Sawit"]
    assert admin_client.get(CHANGELIST + "?district__exact=rantau-pulung").status_code == 200
    assert admin_client.get(CHANGELIST + "?is_verified__exact=1").status_code == 200


def test_approve_action_calls_the_service_and_writes_the_notices(
    admin_client, django_capture_on_commit_callbacks
):
    shops = [make_shop(status=Shop.Status.PENDING) for _ in range(2)]

    with django_capture_on_commit_callbacks():
        response = _action(admin_client, "approve_selected", shops)

    assert "2 shops updated." in response.content.decode()
    assert all(s.status == "approved" for s in Shop.objects.filter(pk__in=[s.pk for s in shops]))
    assert Shop.objects.get(pk=shops[0].pk).events.get().actor.is_superuser
    assert notices_to(*shops) == 2


def test_approving_a_rejected_shop_is_refused_with_a_message(admin_client):
    shop = make_shop(status=Shop.Status.REJECTED)
    response = _action(admin_client, "approve_selected", [shop])
    assert "cannot be approved" in response.content.decode()
    shop.refresh_from_db()
    assert shop.status == Shop.Status.REJECTED


def test_reject_action_asks_for_a_reason_first(admin_client, django_capture_on_commit_callbacks):
    shop = make_shop(status=Shop.Status.PENDING)

    page = admin_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [shop.pk]}
    )
    assert page.status_code == 200
    assert "Reject with this reason" in page.content.decode()
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING

    empty = admin_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [shop.pk], "reason": ""}
    )
    assert "This field is required." in empty.content.decode()
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING

    with django_capture_on_commit_callbacks():
        _action(admin_client, "reject_selected", [shop], reason="Foto bengkel belum ada.")
    shop.refresh_from_db()
    assert shop.status == Shop.Status.REJECTED
    assert shop.rejection_reason == "Foto bengkel belum ada."
    assert shop.events.get().note == "Foto bengkel belum ada."
    assert notices_to(shop) == 1


def test_verify_action_marks_the_maker(admin_client):
    shop = make_shop()
    _action(admin_client, "verify_selected", [shop])
    shop.refresh_from_db()
    assert shop.is_verified and shop.verified_at is not None


def test_the_change_page_shows_members_and_history_read_only(admin_client):
    shop = make_shop(status=Shop.Status.PENDING)
    _action(admin_client, "approve_selected", [shop])
    response = admin_client.get(f"{CHANGELIST}{shop.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert shop.owner.email in html
    assert "Approved" in html
    assert 'name="status"' not in html  # status changes only through the actions


def test_a_non_staff_user_cannot_use_the_admin(client):
    shop = make_shop(status=Shop.Status.PENDING)
    client.force_login(make_user())
    client.post(CHANGELIST, {"action": "approve_selected", "_selected_action": [shop.pk]})
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING


def test_a_shop_photo_uploaded_in_the_admin_is_re_encoded_without_exif(admin_client):
    from django.core.files.storage import default_storage

    from tests.catalog.imagefiles import gps_exif_jpeg_bytes, upload
    from tests.curation.conftest import change_form_data

    shop = make_shop()
    url = f"{CHANGELIST}{shop.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["photo"] = upload("profil.jpg", gps_exif_jpeg_bytes())

    assert admin_client.post(url, data).status_code == 302

    shop.refresh_from_db()
    with default_storage.open(shop.photo.name, "rb") as handle:
        stored = handle.read()
    assert stored and b"PhoneMaker" not in stored


def test_a_shop_banner_that_hides_an_archive_is_refused_in_the_admin(admin_client):
    from tests.catalog.imagefiles import upload, zip_polyglot_jpeg_bytes
    from tests.curation.conftest import change_form_data

    shop = make_shop()
    url = f"{CHANGELIST}{shop.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["banner"] = upload("banner.jpg", zip_polyglot_jpeg_bytes())

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "more than a photo" in response.content.decode()
    shop.refresh_from_db()
    assert not shop.banner
