"""WhatsApp through a real worker: one message per maker per order, a repeated task sends none."""

import pytest

from core.enqueue import send
from notifications.models import OutgoingWhatsApp
from notifications.services import send_pending_whatsapp
from notifications.tasks import send_pending_whatsapp_task
from orders import routing
from orders.models import Order
from orders.tasks import route_order_task
from tests.concurrency import all_at_once
from tests.conftest import wait_for
from tests.notifications.test_whatsapp import two_maker_order
from tests.notifications.whatsapp_server import (  # noqa: F401 (fixtures)
    fake_whatsapp_fixture,
    whatsapp_env,
    whatsapp_server_fixture,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def whatsapp_for_the_worker(fake_whatsapp, monkeypatch):
    """The worker process (started after this) talks to the fake too."""
    for name, value in whatsapp_env(fake_whatsapp.url).items():
        monkeypatch.setenv(name, value)
    return fake_whatsapp


@pytest.mark.worker
def test_the_worker_sends_one_message_per_maker_and_a_repeated_task_sends_none(
    whatsapp_for_the_worker, celery_worker
):
    fake = whatsapp_for_the_worker
    # given an order from two makers, routed by the worker (the task sent twice)
    order, paku, sawit = two_maker_order()
    send(route_order_task, order.pk)
    send(route_order_task, order.pk)

    # then each maker gets one WhatsApp message, with the Cloud API's id kept
    wait_for(lambda: len(fake.messages()) >= 2, timeout=30)
    assert wait_for(lambda: not OutgoingWhatsApp.objects.filter(sent_at=None).exists())
    assert Order.objects.get(pk=order.pk).routed_at is not None

    # when the sending task runs again, twice at once, and routing once more
    def sending_runs() -> int:
        return celery_worker.log().count("task=notifications.tasks.send_pending_whatsapp_task")

    before = sending_runs()
    send(send_pending_whatsapp_task)
    send(send_pending_whatsapp_task)
    assert routing.route_order(order=order) is False
    wait_for(lambda: sending_runs() >= before + 2, timeout=15)

    # then nothing is sent twice
    recipients = sorted(message["to"] for message in fake.messages())
    assert recipients == ["6281250000002", "6281311110001"]
    assert sorted(OutgoingWhatsApp.objects.values_list("message_id", flat=True)) == sorted(
        message["id"] for message in fake.messages()
    )


def test_two_senders_at_once_send_each_message_once(fake_whatsapp):
    order, _paku, _sawit = two_maker_order()
    routing.route_order(order=order)
    sent = all_at_once(2, lambda _index: send_pending_whatsapp())
    assert sum(sent) == 2
    assert len(fake_whatsapp.messages()) == 2
