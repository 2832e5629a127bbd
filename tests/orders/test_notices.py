"""Notices of a sub-order's moves: written with the move, sent by the worker, never lost."""

import pytest
from django.core import mail

from notifications.models import Notification
from notifications.tasks import send_pending_emails_task
from orders import lifecycle
from orders.models import SubOrder
from tests.conftest import broker_down
from tests.factories import make_shop, make_user
from tests.ledger.factories import make_suborder

pytestmark = pytest.mark.django_db


def test_with_the_broker_down_an_artisans_move_succeeds_and_the_sweep_tells_the_buyer(
    django_capture_on_commit_callbacks,
):
    shop = make_shop(name="Batik Kenyah")
    suborder = make_suborder(shop=shop)

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        lifecycle.transition_suborder(suborder=suborder, to=SubOrder.Status.ACCEPTED, by=shop.owner)

    suborder.refresh_from_db()
    assert suborder.status == SubOrder.Status.ACCEPTED
    buyer_email = suborder.order.email
    assert Notification.objects.filter(email=buyer_email, kind="suborder-update").count() == 1
    assert not mail.outbox
    send_pending_emails_task()  # the beat's sweep, once the broker is back
    send_pending_emails_task()
    assert [email.to for email in mail.outbox] == [[buyer_email]]
    assert "Batik Kenyah" in mail.outbox[0].subject


def test_the_artisans_are_told_with_a_link_to_their_order_page():
    owner = make_user(preferred_language="en")
    suborder = make_suborder(shop=make_shop(owner=owner), status=SubOrder.Status.SHIPPED)

    lifecycle.transition_suborder(suborder=suborder, to=SubOrder.Status.DELIVERED, by=None)

    notice = Notification.objects.get(recipient=owner)
    assert notice.kind == "suborder-update"
    assert notice.url == f"/en/dasbor/pesanan/{suborder.pk}/"
