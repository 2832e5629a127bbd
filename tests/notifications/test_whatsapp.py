"""New orders reach makers on WhatsApp: one template message each, through the outbox."""

import socket

import pytest

from notifications import whatsapp
from notifications.models import Notification, OutgoingWhatsApp
from notifications.services import Message, notify, send_pending_whatsapp
from orders import placement, routing
from orders.models import PaymentMethod
from tests.factories import ADDRESS, make_product, make_shop, make_user
from tests.notifications.whatsapp_server import (  # noqa: F401 (fixtures)
    fake_whatsapp_fixture,
    whatsapp_server_fixture,
)
from tests.orders.conftest import set_shipping

pytestmark = pytest.mark.django_db


def two_maker_order():
    """A cash-on-delivery order from two shops; one owner has a number of their own."""
    paku = make_shop(owner=make_user(phone="+6281311110001"), whatsapp="+6281250000001")
    sawit = make_shop(owner=make_user(preferred_language="en"), whatsapp="+6281250000002")
    for shop in (paku, sawit):
        set_shipping(shop, offers_cod=True)
    cart = {make_product(shop=shop).options.get().pk: 1 for shop in (paku, sawit)}
    order = placement.place_order(
        buyer=None,
        email="pembeli@example.com",
        quantities=cart,
        address=dict(ADDRESS),
        payment_method=PaymentMethod.COD,
    )
    return order, paku, sawit


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_each_maker_gets_one_template_message_with_their_one_tap_link(fake_whatsapp):
    # given an order from two makers; the first shop also has a staff member without a number
    order, paku, sawit = two_maker_order()
    paku.memberships.create(user=make_user(), role="staff")

    # when it is routed (twice: a repeated task) and the outbox is sent (twice)
    assert routing.route_order(order=order) is True
    assert routing.route_order(order=order) is False
    assert send_pending_whatsapp() == 2
    assert send_pending_whatsapp() == 0

    # then each owner got one message, on their own number or else the shop's
    messages = {message["to"]: message for message in fake_whatsapp.messages()}
    assert sorted(messages) == ["6281250000002", "6281311110001"]
    indonesian, english = messages["6281311110001"], messages["6281250000002"]
    assert indonesian["template"] == "pesanan_baru" and indonesian["language"] == "id"
    assert english["language"] == "en"
    shop_name, reference, count, buyer, place, link = indonesian["parameters"]
    assert (shop_name, reference, count, buyer) == (paku.name, order.reference, "1", "Siti Aminah")
    assert "/dasbor/pesanan/wa/" in link and link.startswith("http")
    assert "/en/" in english["parameters"][-1]
    # the message ids are kept; the in-app notices and emails are there as before
    sent = OutgoingWhatsApp.objects.order_by("pk")
    assert [row.message_id for row in sent] == [m["id"] for m in fake_whatsapp.messages()]
    assert Notification.objects.filter(kind="order-routed").count() == 3


def test_a_second_notify_with_the_same_key_writes_nothing(fake_whatsapp):
    message = Message(
        kind="test", title="Halo", whatsapp_kind=whatsapp.NEW_ORDER, whatsapp_parameters=("a",)
    )
    for _ in range(2):
        notify(key="k-wa", message=message, recipient=make_user(), phone="+6281311110009")
    assert OutgoingWhatsApp.objects.count() == 1
    assert send_pending_whatsapp() == 1
    assert len(fake_whatsapp.messages()) == 1


def test_nothing_is_written_for_whatsapp_when_it_is_not_set_up(settings):
    settings.WHATSAPP_TOKEN = ""
    order, _paku, _sawit = two_maker_order()
    routing.route_order(order=order)
    assert not OutgoingWhatsApp.objects.exists()
    assert Notification.objects.filter(kind="order-routed").count() == 2


def test_the_cloud_api_down_loses_nothing_and_costs_no_attempt(fake_whatsapp, settings):
    order, _paku, _sawit = two_maker_order()
    routing.route_order(order=order)

    # when the Cloud API answers 503, and then cannot even be reached
    fake_whatsapp.down()
    with pytest.raises(whatsapp.Unavailable):
        send_pending_whatsapp()
    url = settings.WHATSAPP_API_BASE
    settings.WHATSAPP_API_BASE = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(whatsapp.Unavailable):
        send_pending_whatsapp()

    # then both messages still wait, free for the next run, no attempt counted
    waiting = OutgoingWhatsApp.objects.pending()
    assert waiting.count() == 2
    assert all(row.attempts == 0 and row.claimed_until is None for row in waiting)
    assert "could not be reached" in waiting.order_by("pk").first().last_error

    # when it is back, the next run sends both, once
    settings.WHATSAPP_API_BASE = url
    fake_whatsapp.up()
    assert send_pending_whatsapp() == 2
    assert len(fake_whatsapp.messages()) == 2
    assert not OutgoingWhatsApp.objects.pending().exists()


def test_a_refused_message_waits_with_its_error_and_the_rest_go(fake_whatsapp, settings):
    first = Message(kind="t", title="T", whatsapp_kind="reminder", whatsapp_parameters=("a",))
    notify(key="k-refused", message=first, recipient=make_user(), phone="+6281311110010")
    second = Message(kind="t", title="T", whatsapp_kind="new_order", whatsapp_parameters=("b",))
    notify(key="k-fine", message=second, recipient=make_user(), phone="+6281311110011")
    # the reminder's template is not approved at Meta (the fake does not know it)
    OutgoingWhatsApp.objects.filter(key="k-refused").update(template="not_approved")

    assert send_pending_whatsapp() == 1

    refused = OutgoingWhatsApp.objects.get(key="k-refused")
    assert refused.sent_at is None and refused.attempts == 1 and "132001" in refused.last_error
    assert [m["to"] for m in fake_whatsapp.messages()] == ["6281311110011"]


def test_a_paid_payout_reaches_the_maker_on_whatsapp(fake_whatsapp):
    from ledger import services as ledger
    from ledger.models import LedgerEntry

    shop = make_shop(whatsapp="+6281250000003")
    LedgerEntry(shop=shop, kind=LedgerEntry.Kind.ADJUSTMENT, amount=250_000).save()
    ledger.save_payout_account(
        shop=shop, bank_name="BRI", account_number="0123456789", account_holder="Siti Aminah"
    )
    payout = ledger.request_payout(shop=shop, by=shop.owner)
    ledger.mark_payout_paid(payout=payout, by=None, transfer_reference="TRX-77")

    assert send_pending_whatsapp() == 1
    (message,) = fake_whatsapp.messages()
    assert message["to"] == "6281250000003" and message["template"] == "pembayaran"
    assert message["parameters"][:4] == ["Rp 250.000", "BRI", "0123456789", "TRX-77"]
    assert "/keuangan/pencairan/" in message["parameters"][4]


def test_a_wrong_token_costs_no_message_its_attempts(fake_whatsapp, settings):
    message = Message(kind="t", title="T", whatsapp_kind="new_order", whatsapp_parameters=("a",))
    notify(key="k-token", message=message, recipient=make_user(), phone="+6281311110012")
    settings.WHATSAPP_TOKEN = "EAAG-expired"
    with pytest.raises(whatsapp.Unavailable, match="190"):
        send_pending_whatsapp()
    row = OutgoingWhatsApp.objects.get()
    assert row.attempts == 0 and row.sent_at is None and fake_whatsapp.messages() == []


def test_the_request_has_the_cloud_apis_template_shape():
    body = whatsapp.template_body(
        to="+6281311110001", template="pesanan_baru", language="id", parameters=["a", 2]
    )
    assert body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281311110001",
        "type": "template",
        "template": {
            "name": "pesanan_baru",
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": "a"}, {"type": "text", "text": "2"}],
                }
            ],
        },
    }


@pytest.mark.parametrize("members_per_shop", [1, 3])
def test_whatsapp_adds_two_inserts_to_routing_however_many_makers(
    fake_whatsapp, django_assert_max_num_queries, members_per_shop
):
    order, paku, sawit = two_maker_order()
    for shop in (paku, sawit):
        for number in range(members_per_shop - 1):
            user = make_user(phone=f"+62813111120{shop.pk % 10}{number}")
            shop.memberships.create(user=user, role="staff")
    # routing's 10 queries (see tests/orders/test_routing_cost.py), plus the links and messages
    with django_assert_max_num_queries(12):
        assert routing.route_order(order=order) is True
    assert OutgoingWhatsApp.objects.count() == 2 * members_per_shop
