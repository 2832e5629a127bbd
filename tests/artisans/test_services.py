"""Shop status changes: allowed moves, refused moves, and the recorded history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from artisans import services
from artisans.models import Shop, ShopEvent, ShopFollow
from tests.artisans.conftest import notices_to
from tests.factories import make_shop, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return make_user(is_staff=True)


def _apply(user, **extra):
    data = {
        "name": "Batik Paku Sangatta",
        "district": "sangatta-utara",
        "address": "Jl. Pendidikan 3",
        "whatsapp": "081250001111",
    }
    data.update(extra)
    return services.submit_application(user=user, **data)


def test_approve_records_who_and_when_and_writes_the_notice(
    admin_user, django_capture_on_commit_callbacks
):
    shop = _apply(make_user())

    with django_capture_on_commit_callbacks():
        services.approve_shop(shop=shop, by=admin_user)

    shop.refresh_from_db()
    assert shop.status == Shop.Status.APPROVED
    assert shop.approved_at is not None
    event = shop.events.first()
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "approved",
        admin_user,
        "pending",
        "approved",
    )
    assert notices_to(shop) == 1


def test_reject_requires_a_reason(admin_user):
    shop = _apply(make_user())
    with pytest.raises(ValidationError) as caught:
        services.reject_shop(shop=shop, by=admin_user, reason="   ")
    assert caught.value.code == "reason_required"
    shop.refresh_from_db()
    assert shop.status == Shop.Status.PENDING


def test_a_rejected_shop_cannot_be_approved_without_applying_again(admin_user):
    shop = _apply(make_user())
    services.reject_shop(shop=shop, by=admin_user, reason="Alamat tidak jelas")
    with pytest.raises(ValidationError) as caught:
        services.approve_shop(shop=shop, by=admin_user)
    assert caught.value.code == "invalid_transition"

    services.submit_application(user=shop.owner, name=shop.name, district=shop.district,
                                address="Jl. Pendidikan 3, RT 4", whatsapp=shop.whatsapp)  # fmt: skip
    services.approve_shop(shop=shop, by=admin_user)
    shop.refresh_from_db()
    assert shop.status == Shop.Status.APPROVED


def test_an_approved_shop_cannot_be_rejected_or_approved_again(admin_user):
    shop = make_shop()
    with pytest.raises(ValidationError):
        services.reject_shop(shop=shop, by=admin_user, reason="late")
    with pytest.raises(ValidationError):
        services.approve_shop(shop=shop, by=admin_user)
    assert not ShopEvent.objects.exists()


def test_verify_only_approved_shops_once(admin_user):
    pending = _apply(make_user())
    with pytest.raises(ValidationError):
        services.verify_shop(shop=pending, by=admin_user)

    shop = make_shop()
    services.verify_shop(shop=shop, by=admin_user)
    shop.refresh_from_db()
    assert shop.is_verified and shop.verified_at is not None
    with pytest.raises(ValidationError) as caught:
        services.verify_shop(shop=shop, by=admin_user)
    assert caught.value.code == "already_verified"


def test_unverified_email_cannot_apply():
    with pytest.raises(ValidationError) as caught:
        _apply(make_user(verified=False))
    assert caught.value.code == "email_unverified"


def test_one_open_shop_per_owner_also_in_the_database():
    user = make_user()
    _apply(user)
    with pytest.raises(ValidationError) as caught:
        _apply(user, name="Another")
    assert caught.value.code == "already_applied"


def test_vacation_needs_a_future_return_date_and_ends():
    shop = make_shop()
    with pytest.raises(ValidationError):
        services.set_vacation(
            shop=shop, until=timezone.localdate() - datetime.timedelta(days=1), message=""
        )
    services.set_vacation(
        shop=shop, until=timezone.localdate() + datetime.timedelta(days=7), message="Festival"
    )
    assert shop.is_on_vacation and not shop.accepts_orders
    services.end_vacation(shop=shop)
    shop.refresh_from_db()
    assert shop.accepts_orders and shop.vacation_message == ""


def test_past_vacations_end_by_themselves():
    shop = make_shop(
        is_on_vacation=True, vacation_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    still_away = make_shop(
        is_on_vacation=True, vacation_until=timezone.localdate() + datetime.timedelta(days=1)
    )
    assert services.end_past_vacations() == 1
    shop.refresh_from_db()
    still_away.refresh_from_db()
    assert not shop.is_on_vacation and still_away.is_on_vacation


def test_follow_twice_is_one_follow_and_unapproved_shops_cannot_be_followed():
    buyer = make_user()
    shop = make_shop()
    services.follow_shop(user=buyer, shop=shop)
    services.follow_shop(user=buyer, shop=shop)
    assert ShopFollow.objects.filter(user=buyer, shop=shop).count() == 1
    services.unfollow_shop(user=buyer, shop=shop)
    assert not ShopFollow.objects.exists()
    with pytest.raises(ValidationError):
        services.follow_shop(user=buyer, shop=make_shop(status=Shop.Status.PENDING))
