"""Emails go through an outbox: a mail server that is down never holds up or loses a notice."""

import socket

import pytest
from django.conf import settings
from django.test import override_settings

from marketplace.celery import app as celery_app
from notifications.models import Notification, OutgoingEmail
from notifications.services import Message, notify, send_pending_emails
from orders import placement, routing
from orders.models import PaymentMethod
from tests.factories import ADDRESS, make_product
from tests.orders.conftest import set_shipping

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    """A local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _smtp_down():
    backend = "django.core.mail.backends.smtp.EmailBackend"
    options = {"host": "127.0.0.1", "port": _closed_port(), "use_tls": False, "timeout": 2}
    return override_settings(MAILERS={"default": {"BACKEND": backend, "OPTIONS": options}})


def _notice(key: str = "k-1", email: str = "pembeli@example.com") -> None:
    message = Message(kind="test", title="Halo", email_template="order_expired", context={})
    notify(key=key, message=message, email=email)


def test_an_order_is_routed_while_the_mail_server_is_down_and_mailed_when_it_is_back(mailoutbox):
    product = make_product()
    set_shipping(product.shop, offers_cod=True)
    order = placement.place_order(
        buyer=None,
        email="pembeli@example.com",
        quantities={product.options.get().pk: 1},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.COD,
    )

    with _smtp_down():
        assert routing.route_order(order=order) is True
        assert send_pending_emails() == 0

    # the artisan and the buyer (told at placement) have their notices; the emails wait
    assert Notification.objects.filter(kind="order-routed").count() == 1
    assert Notification.objects.filter(kind="order-placed").count() == 1
    waiting = OutgoingEmail.objects.pending().order_by("pk")
    assert waiting.count() == 2
    # the batch stopped at the first, with the reason; a server that is down costs no attempt
    assert [email.attempts for email in waiting] == [0, 0]
    assert "Connection refused" in waiting.first().last_error
    assert mailoutbox == []

    # when the server is back, the next run sends both, once
    assert send_pending_emails() == 2
    assert send_pending_emails() == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [product.shop.owner.email, "pembeli@example.com"]
    )


def test_a_server_that_stays_down_gives_up_on_nothing(mailoutbox):
    _notice()
    with _smtp_down():
        for _ in range(OutgoingEmail.MAX_ATTEMPTS + 2):
            assert send_pending_emails() == 0
    assert OutgoingEmail.objects.pending().get().attempts == 0
    assert send_pending_emails() == 1 and len(mailoutbox) == 1


def test_a_refused_email_does_not_hold_up_the_others(mailoutbox):
    _notice(key="k-bad", email="pembeli@example.com")
    _notice(key="k-good", email="tamu@example.com")
    # an address the mail library refuses (as a server refuses a recipient)
    OutgoingEmail.objects.filter(key="k-bad").update(to="pembeli@example.com\nBcc: x@y.id")

    assert send_pending_emails() == 1

    assert [m.to for m in mailoutbox] == [["tamu@example.com"]]
    bad = OutgoingEmail.objects.get(key="k-bad")
    assert bad.attempts == 1 and bad.sent_at is None and "linefeed" in bad.last_error
    assert send_pending_emails() == 0  # and it waits a while before the next try
    assert OutgoingEmail.objects.get(key="k-bad").attempts == 1


def test_an_email_that_keeps_being_refused_stops_and_the_admin_can_send_it_again(
    admin_client, mailoutbox
):
    _notice()
    OutgoingEmail.objects.update(to="pembeli@example.com\nBcc: x@y.id")
    for _ in range(OutgoingEmail.MAX_ATTEMPTS + 2):
        send_pending_emails()
        OutgoingEmail.objects.update(claimed_until=None)  # the wait before the next try is over
    email = OutgoingEmail.objects.get()
    assert email.attempts == OutgoingEmail.MAX_ATTEMPTS and email.sent_at is None
    assert not OutgoingEmail.objects.pending().exists()
    OutgoingEmail.objects.update(to="pembeli@example.com")  # the address is corrected

    changelist = "/en/admin/notifications/outgoingemail/"
    page = admin_client.get(changelist, {"sent": "failed"})
    assert page.status_code == 200 and b"pembeli@example.com" in page.content
    celery_app.conf.task_always_eager = True
    try:
        admin_client.post(changelist, {"action": "send_again", "_selected_action": [email.pk]})
    finally:
        celery_app.conf.task_always_eager = False

    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 0
    assert [m.to for m in mailoutbox] == [["pembeli@example.com"]]


def test_a_notice_written_twice_queues_one_email(mailoutbox):
    _notice(key="k-2")
    _notice(key="k-2")
    assert OutgoingEmail.objects.count() == 1
    assert send_pending_emails() == 1
    assert len(mailoutbox) == 1


def test_the_worker_sends_the_outbox_every_minute():
    entry = next(
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "notifications.tasks.send_pending_emails_task"
    )
    assert entry["schedule"].total_seconds() == 60
    assert "notifications.tasks.send_pending_emails_task" in celery_app.tasks
