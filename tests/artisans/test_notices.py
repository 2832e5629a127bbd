"""Telling the applicant the cooperative's decision, on the site and by email."""

import pytest
from django.core import mail

from artisans import services
from artisans.models import Shop
from artisans.tasks import notify_shop_decision_task
from notifications.models import Notification, OutgoingEmail
from notifications.services import send_pending_emails
from tests.conftest import wait_for, wait_for_email
from tests.factories import make_shop, make_user


def _decide(shop, decision: str, django_capture_on_commit_callbacks, **extra):
    staff = make_user(is_staff=True)
    with django_capture_on_commit_callbacks(execute=False):
        getattr(services, f"{decision}_shop")(shop=shop, by=staff, **extra)
    return shop.events.first()


@pytest.mark.django_db
def test_approval_notice_in_the_owners_language_sent_once(django_capture_on_commit_callbacks):
    shop = make_shop(status=Shop.Status.PENDING, name="Batik Paku")
    shop.owner.preferred_language = "en"
    shop.owner.save()
    event = _decide(shop, "approve", django_capture_on_commit_callbacks)

    notify_shop_decision_task(shop.pk, event.pk)
    notify_shop_decision_task(shop.pk, event.pk)  # a redelivered message
    send_pending_emails()

    notification = Notification.objects.get(recipient=shop.owner)
    assert notification.title == "Your shop Batik Paku is open"
    assert notification.url == f"/en/toko/{shop.slug}/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [shop.owner.email]
    assert "approved your shop" in email.body
    assert f"/en/toko/{shop.slug}/" in email.body
    assert "Open your shop page" in email.alternatives[0].content


@pytest.mark.django_db
def test_rejection_notice_carries_the_reason_and_a_way_back(django_capture_on_commit_callbacks):
    shop = make_shop(status=Shop.Status.PENDING)
    shop.owner.preferred_language = "en"
    shop.owner.save()
    event = _decide(shop, "reject", django_capture_on_commit_callbacks, reason="Alamat kurang.")

    notify_shop_decision_task(shop.pk, event.pk)
    send_pending_emails()

    notification = Notification.objects.get(recipient=shop.owner)
    assert notification.body == "Reason: Alamat kurang."
    assert notification.url == "/en/toko/saya/"
    assert "Alamat kurang." in mail.outbox[0].body
    assert "/en/toko/saya/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_second_rejection_after_resubmitting_is_told_too(django_capture_on_commit_callbacks):
    shop = make_shop(status=Shop.Status.PENDING)
    first = _decide(shop, "reject", django_capture_on_commit_callbacks, reason="Satu.")
    notify_shop_decision_task(shop.pk, first.pk)
    services.submit_application(user=shop.owner, name=shop.name, district=shop.district,
                                address=shop.address, whatsapp=shop.whatsapp)  # fmt: skip
    second = _decide(shop, "reject", django_capture_on_commit_callbacks, reason="Dua.")
    notify_shop_decision_task(shop.pk, second.pk)
    assert Notification.objects.filter(recipient=shop.owner).count() == 2


@pytest.mark.django_db
def test_the_task_returns_quietly_when_the_rows_are_gone():
    notify_shop_decision_task(999_999, 999_999)
    assert not Notification.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_admin_approval_reaches_the_owner_through_the_real_worker(
    celery_worker, client, tmp_path
):
    shop = make_shop(status=Shop.Status.PENDING, name="Batik Sawit")
    client.force_login(make_user(is_staff=True, is_superuser=True))

    client.post(
        "/en/admin/artisans/shop/", {"action": "approve_selected", "_selected_action": [shop.pk]}
    )

    notification = wait_for(
        lambda: Notification.objects.filter(recipient=shop.owner).first(), timeout=30
    )
    assert notification.kind == "shop-approved"
    assert wait_for_email(tmp_path / "emails", containing="Batik Sawit")
    # The worker writes the email, then marks it sent: wait for the mark, not only the file.
    assert wait_for(
        lambda: OutgoingEmail.objects.filter(key=notification.key, sent_at__isnull=False),
        timeout=10,
    )
