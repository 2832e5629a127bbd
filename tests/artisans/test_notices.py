"""Telling the applicant the cooperative's decision, on the site and by email."""

import pytest
from django.core import mail

from artisans import services
from artisans.models import Shop
from notifications.models import Notification, OutgoingEmail
from notifications.tasks import send_pending_emails_task
from tests.conftest import broker_down, wait_for, wait_for_email
from tests.factories import make_shop, make_user


def _decide(shop, decision: str, django_capture_on_commit_callbacks, **extra):
    staff = make_user(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        getattr(services, f"{decision}_shop")(shop=shop, by=staff, **extra)
    return shop.events.first()


@pytest.mark.django_db
def test_approval_notice_in_the_owners_language_sent_once(django_capture_on_commit_callbacks):
    shop = make_shop(status=Shop.Status.PENDING, name="Batik Paku")
    shop.owner.preferred_language = "en"
    shop.owner.save()
    _decide(shop, "approve", django_capture_on_commit_callbacks)

    send_pending_emails_task()
    send_pending_emails_task()  # the beat's sweep, a minute later

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
def test_with_the_broker_down_an_approval_succeeds_and_the_sweep_tells_the_owner(
    django_capture_on_commit_callbacks,
):
    shop = make_shop(status=Shop.Status.PENDING, name="Batik Rotan")

    with broker_down():
        _decide(shop, "approve", django_capture_on_commit_callbacks)

    shop.refresh_from_db()
    assert shop.status == Shop.Status.APPROVED
    assert Notification.objects.filter(recipient=shop.owner, kind="shop-approved").count() == 1
    assert not mail.outbox
    # the broker is back: the beat's sweep sends the email, once however often it runs
    send_pending_emails_task()
    send_pending_emails_task()
    assert [email.to for email in mail.outbox] == [[shop.owner.email]]
    assert "Batik Rotan" in mail.outbox[0].body


@pytest.mark.django_db
def test_rejection_notice_carries_the_reason_and_a_way_back(django_capture_on_commit_callbacks):
    shop = make_shop(status=Shop.Status.PENDING)
    shop.owner.preferred_language = "en"
    shop.owner.save()
    _decide(shop, "reject", django_capture_on_commit_callbacks, reason="Alamat kurang.")

    send_pending_emails_task()

    notification = Notification.objects.get(recipient=shop.owner)
    assert notification.body == "Reason: Alamat kurang."
    assert notification.url == "/en/toko/saya/"
    assert "Alamat kurang." in mail.outbox[0].body
    assert "/en/toko/saya/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_second_rejection_after_resubmitting_is_told_too(django_capture_on_commit_callbacks):
    shop = make_shop(status=Shop.Status.PENDING)
    _decide(shop, "reject", django_capture_on_commit_callbacks, reason="Satu.")
    services.submit_application(user=shop.owner, name=shop.name, district=shop.district,
                                address=shop.address, whatsapp=shop.whatsapp)  # fmt: skip
    _decide(shop, "reject", django_capture_on_commit_callbacks, reason="Dua.")
    assert Notification.objects.filter(recipient=shop.owner).count() == 2


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

    notification = Notification.objects.get(recipient=shop.owner)
    assert notification.kind == "shop-approved"
    assert wait_for_email(tmp_path / "emails", containing="Batik Sawit")
    # The worker writes the email, then marks it sent: wait for the mark, not only the file.
    assert wait_for(
        lambda: OutgoingEmail.objects.filter(key=notification.key, sent_at__isnull=False),
        timeout=10,
    )
