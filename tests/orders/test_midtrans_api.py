"""The door to Midtrans (`orders.payments.midtrans_api`) against the local fake Midtrans."""

import json
import logging
import socket
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from orders.payments import midtrans_api
from tests.conftest import wait_for
from tests.fake_servers import free_port
from tests.orders.midtrans_server import (
    fake_midtrans_fixture,  # noqa: F401
    midtrans_server_fixture,  # noqa: F401
    notification_receiver_fixture,  # noqa: F401
)

pytestmark = pytest.mark.usefixtures("fake_midtrans")


def place_charge(channel: str, order_id: str = "BTK-0001-1", amount: int = 350_000, **extra):
    return midtrans_api.charge(
        channel=channel,
        order_id=order_id,
        amount=amount,
        expires_at=extra.pop("expires_at", timezone.now() + timedelta(hours=24)),
        email="buyer@example.com",
        name="Siti Rahmawati",
        phone="+6281234567890",
        **extra,
    )


# --- what a buyer needs to pay, per channel ---


@pytest.mark.parametrize("channel,bank", [("bca_va", "bca"), ("bni_va", "bni"), ("bri_va", "bri")])
def test_a_virtual_account_charge_gives_the_va_number_and_the_exact_amount(channel, bank):
    charge = place_charge(channel)

    assert charge.channel == channel
    assert charge.bank == bank
    assert charge.va_number.isdigit()
    assert charge.gross_amount == 350_000
    assert isinstance(charge.gross_amount, int)
    assert charge.status == "pending"
    assert charge.status_code == "201"
    assert charge.order_id == "BTK-0001-1"
    assert charge.transaction_id


def test_a_permata_charge_gives_its_va_number():
    charge = place_charge("permata_va")

    assert (charge.channel, charge.bank) == ("permata_va", "permata")
    assert charge.va_number.isdigit()


def test_a_mandiri_bill_gives_the_biller_code_and_bill_key():
    charge = place_charge("mandiri_bill")

    assert charge.channel == "mandiri_bill"
    assert charge.biller_code.isdigit()
    assert charge.bill_key.isdigit()
    assert charge.va_number == ""


def test_a_qris_charge_gives_the_qr_string_to_draw():
    charge = place_charge("qris", amount=275_500)

    assert charge.channel == "qris"
    assert charge.qr_string.startswith("000201")
    assert charge.gross_amount == 275_500


@pytest.mark.parametrize("channel", ["gopay", "shopeepay"])
def test_an_e_wallet_charge_gives_the_app_link(channel):
    charge = place_charge(channel)

    assert charge.channel == channel
    assert charge.deeplink_url.startswith("http")


@pytest.mark.parametrize("channel", ["gopay", "shopeepay"])
def test_paying_in_the_e_wallet_app_sends_the_buyer_back_to_the_shop(fake_midtrans, channel):
    back = "http://127.0.0.1:8000/pesanan/BTK-0001/"
    charge = place_charge(channel, callback_url=back)
    app_page = urllib.request.urlopen(charge.deeplink_url, timeout=5).read().decode()
    assert "Rp 350.000" in app_page

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(
            f"{fake_midtrans.url}/_sim/pay/{charge.order_id}", data=b"from_app=1", timeout=5
        )

    assert answer.value.code == 303
    assert answer.value.headers["Location"] == back
    assert midtrans_api.status(charge.order_id).status == "settlement"


def test_an_order_id_whose_charge_expired_may_be_charged_again(fake_midtrans):
    first = place_charge("bca_va")
    midtrans_api.expire(first.order_id)

    second = place_charge("qris")

    assert second.transaction_id != first.transaction_id
    assert midtrans_api.status(first.order_id).channel == "qris"


def test_the_charge_expires_when_asked_to_at_the_minute():
    deadline = timezone.now() + timedelta(hours=5, minutes=30, seconds=40)

    charge = place_charge("bca_va", expires_at=deadline)

    # Midtrans counts whole minutes: never later than asked, at most a minute earlier.
    assert deadline - timedelta(minutes=1) <= charge.expires_at <= deadline
    assert charge.expires_at.utcoffset() == timedelta(hours=7)


def test_items_that_do_not_add_up_are_refused_before_anything_is_sent(fake_midtrans):
    with pytest.raises(ValueError):
        place_charge("bca_va", amount=350_000, items=[("kain-1", "Kain paku", 300_000, 1)])

    assert fake_midtrans.charges() == []


def test_items_that_add_up_are_charged(fake_midtrans):
    items = [
        ("kain-1", "Kain batik tulis motif paku " * 3, 150_000, 2),
        ("ongkir", "Ongkir", 50_000, 1),
    ]

    charge = place_charge("bni_va", amount=350_000, items=items)

    assert charge.gross_amount == 350_000
    assert [item["order_id"] for item in fake_midtrans.charges()] == ["BTK-0001-1"]


# --- after the charge ---


def test_the_status_turns_settled_once_the_buyer_pays(fake_midtrans):
    place_charge("bca_va")
    assert midtrans_api.status("BTK-0001-1").status == "pending"

    fake_midtrans.pay("BTK-0001-1")

    paid = midtrans_api.status("BTK-0001-1")
    assert (paid.status, paid.status_code, paid.gross_amount) == ("settlement", "200", 350_000)
    assert paid.settled_at is not None
    assert paid.va_number  # the status still names the account paid into


def test_a_scanned_qris_is_paid(fake_midtrans):
    charge = place_charge("qris")

    fake_midtrans.scan(charge.qr_string)

    assert midtrans_api.status(charge.order_id).status == "settlement"


def test_a_pending_charge_can_be_cancelled_once():
    place_charge("bri_va")

    cancelled = midtrans_api.cancel("BTK-0001-1")

    assert cancelled.status == "cancel"
    assert midtrans_api.status("BTK-0001-1").status == "cancel"
    with pytest.raises(midtrans_api.GatewayError) as refused:
        midtrans_api.cancel("BTK-0001-1")
    assert refused.value.status_code == "412"


def test_a_pending_charge_can_be_expired_but_a_paid_one_cannot(fake_midtrans):
    place_charge("mandiri_bill", order_id="BTK-0001-1")
    place_charge("mandiri_bill", order_id="BTK-0002-1")
    fake_midtrans.pay("BTK-0002-1")

    assert midtrans_api.expire("BTK-0001-1").status == "expire"
    with pytest.raises(midtrans_api.GatewayError) as refused:
        midtrans_api.expire("BTK-0002-1")
    assert refused.value.status_code == "412"


def test_a_charge_whose_time_runs_out_reads_expired(fake_midtrans):
    place_charge("qris")

    fake_midtrans.expire("BTK-0001-1")

    assert midtrans_api.status("BTK-0001-1").status == "expire"


def test_a_refund_key_refunds_once(fake_midtrans):
    charge = place_charge("qris", amount=350_000)
    fake_midtrans.scan(charge.qr_string)

    first = midtrans_api.refund("BTK-0001-1", amount=100_000, refund_key="r-1", reason="ditolak")
    again = midtrans_api.refund("BTK-0001-1", amount=100_000, refund_key="r-1", reason="ditolak")

    assert first == again == midtrans_api.RefundResult("r-1", 100_000, "200")
    assert midtrans_api.status("BTK-0001-1").status == "partial_refund"
    [listed] = fake_midtrans.charges()
    assert listed["refund_amount"] == "100000.00"


def test_a_refund_beyond_what_is_left_is_refused(fake_midtrans):
    charge = place_charge("gopay", amount=200_000)
    fake_midtrans.pay(charge.order_id)
    midtrans_api.refund(charge.order_id, amount=150_000, refund_key="r-1", reason="ditolak")

    with pytest.raises(midtrans_api.GatewayError):
        midtrans_api.refund(charge.order_id, amount=60_000, refund_key="r-2", reason="ditolak")
    midtrans_api.refund(charge.order_id, amount=50_000, refund_key="r-3", reason="ditolak")

    assert midtrans_api.status(charge.order_id).status == "refund"


def test_a_virtual_account_payment_cannot_be_refunded_through_the_api(fake_midtrans):
    place_charge("bca_va")
    fake_midtrans.pay("BTK-0001-1")

    with pytest.raises(midtrans_api.GatewayError) as refused:
        midtrans_api.refund("BTK-0001-1", amount=1_000, refund_key="r-1", reason="ditolak")
    assert refused.value.status_code == "412"


# --- refusals ---


def test_a_used_order_id_is_refused_as_a_duplicate():
    place_charge("bca_va")

    with pytest.raises(midtrans_api.DuplicateOrderId) as refused:
        place_charge("qris")
    assert refused.value.status_code == "406"


def test_an_unknown_order_is_not_found():
    with pytest.raises(midtrans_api.NotFound):
        midtrans_api.status("BTK-9999-1")


def test_a_wrong_server_key_is_refused(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-someone-else"

    with pytest.raises(midtrans_api.GatewayError) as refused:
        place_charge("bca_va")
    assert refused.value.status_code == "401"


def test_without_a_server_key_nothing_is_called(settings):
    settings.MIDTRANS_SERVER_KEY = ""

    assert not midtrans_api.is_configured()
    with pytest.raises(midtrans_api.GatewayError):
        midtrans_api.status("BTK-0001-1")


# --- amounts ---


def test_amounts_are_whole_rupiah_both_ways():
    assert midtrans_api.from_gross_amount("350000.00") == 350_000
    assert midtrans_api.from_gross_amount("350000") == 350_000
    assert midtrans_api.to_gross_amount(350_000) == 350_000
    for bad in ("350000.50", "3,5", "", "-1.00", 350000.0):
        with pytest.raises(ValueError):
            midtrans_api.from_gross_amount(bad)
    with pytest.raises(TypeError):
        midtrans_api.to_gross_amount(350000.0)


# --- notifications ---


def test_the_notification_the_fake_sends_is_verified(fake_midtrans, notification_receiver):
    place_charge("bca_va")
    fake_midtrans.pay("BTK-0001-1")

    body = notification_receiver.wait_for("BTK-0001-1", "settlement")
    notification = midtrans_api.verify_notification(body)

    assert notification == midtrans_api.Notification(
        order_id="BTK-0001-1",
        transaction_id=body["transaction_id"],
        status="settlement",
        status_code="200",
        gross_amount=350_000,
        fraud_status="accept",
    )
    assert body["gross_amount"] == "350000.00"
    assert body["va_numbers"][0]["bank"] == "bca"


def test_a_tampered_notification_is_refused(fake_midtrans, notification_receiver):
    place_charge("qris")
    body = notification_receiver.wait_for("BTK-0001-1", "pending")
    midtrans_api.verify_notification(body)

    tampered = [
        {**body, "gross_amount": "1.00"},
        {**body, "status_code": "200", "transaction_status": "settlement"},
        {**body, "order_id": "BTK-0002-1"},
        {key: value for key, value in body.items() if key != "signature_key"},
        {**body, "signature_key": ""},
        "not a dict",
    ]
    for forged in tampered:
        with pytest.raises(midtrans_api.InvalidNotification):
            midtrans_api.verify_notification(forged)


def test_a_notification_signed_with_another_key_is_refused(
    fake_midtrans, notification_receiver, settings
):
    place_charge("gopay")
    body = notification_receiver.wait_for("BTK-0001-1", "pending")

    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-someone-else"

    with pytest.raises(midtrans_api.InvalidNotification):
        midtrans_api.verify_notification(body)


def test_notifications_reach_a_receiver_that_was_down(fake_midtrans, notification_receiver):
    notification_receiver.fail_next = 2
    place_charge("bca_va")

    notification_receiver.wait_for("BTK-0001-1", "pending", timeout=8)

    # the fake records the delivery once the receiver's answer is back
    def delivered():
        sent = [item for item in fake_midtrans.notifications() if item["order_id"] == "BTK-0001-1"]
        return sent if sent and sent[0]["delivered"] else None

    [sent] = wait_for(delivered, timeout=5)
    assert sent["attempts"] == 3


def test_held_notifications_are_lost_and_a_renotify_sends_a_duplicate(
    fake_midtrans, notification_receiver
):
    place_charge("bca_va")
    notification_receiver.wait_for("BTK-0001-1", "pending")
    fake_midtrans.hold_notifications()
    fake_midtrans.pay("BTK-0001-1")
    time.sleep(0.3)
    assert notification_receiver.received("BTK-0001-1", "settlement") == []

    fake_midtrans.send_notifications()
    fake_midtrans.renotify("BTK-0001-1")
    fake_midtrans.renotify("BTK-0001-1")

    notification_receiver.wait_for("BTK-0001-1", "settlement")
    deadline = time.monotonic() + 5
    while len(notification_receiver.received("BTK-0001-1", "settlement")) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.05)


# --- a gateway that is slow, away or answers badly ---


@pytest.fixture(name="silent_gateway")
def silent_gateway_fixture(settings):
    """A port that accepts connections and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    settings.MIDTRANS_API_BASE = f"http://127.0.0.1:{listener.getsockname()[1]}"
    yield listener
    listener.close()


def test_a_gateway_that_never_answers_fails_within_the_timeout(silent_gateway, settings):
    settings.MIDTRANS_TIMEOUT_SECONDS = 0.3
    settings.MIDTRANS_MAX_NETWORK_RETRIES = 1
    started = time.monotonic()

    with pytest.raises(midtrans_api.GatewayError) as unreachable:
        place_charge("bca_va")

    assert time.monotonic() - started < 2.5
    assert unreachable.value.status_code == ""


def test_a_refused_connection_on_a_status_read_is_retried_then_fails(settings, caplog):
    settings.MIDTRANS_API_BASE = f"http://127.0.0.1:{free_port()}"
    settings.MIDTRANS_MAX_NETWORK_RETRIES = 2

    with (
        caplog.at_level(logging.WARNING, logger="orders.payments.midtrans_api"),
        pytest.raises(midtrans_api.GatewayError) as unreachable,
    ):
        midtrans_api.status("BTK-0001-1")

    assert unreachable.value.status_code == ""
    assert len([record for record in caplog.records if "retry" in record.getMessage()]) == 2


class CountingGateway:
    """An HTTP endpoint that answers every request with one fixed status and body, and counts."""

    def __init__(self, status: int, body: dict):
        gateway = self
        self.requests = 0

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                gateway.requests += 1
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = answer

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.mark.parametrize(
    "status,body",
    [
        (404, {"status_code": "404", "status_message": "Transaction doesn't exist."}),
        (500, {"status_code": "500", "status_message": "Sorry, unexpected error"}),
        # Midtrans sometimes answers HTTP 200 with the error in the body's status_code.
        (200, {"status_code": "412", "status_message": "Merchant cannot modify"}),
    ],
)
def test_an_answer_is_never_retried(settings, status, body):
    gateway = CountingGateway(status, body)
    settings.MIDTRANS_API_BASE = gateway.url

    with pytest.raises(midtrans_api.GatewayError) as refused:
        midtrans_api.status("BTK-0001-1")

    assert refused.value.status_code == body["status_code"]
    assert gateway.requests == 1
    gateway.server.shutdown()


class LosingProxy:
    """In front of the fake: forwards each request, but loses the answer to the first to `lose`."""

    def __init__(self, target: str, lose: str = "/v2/charge"):
        proxy = self
        self.lost = False

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.forward(b"")

            def do_POST(self):
                self.forward(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def forward(self, body: bytes):
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                request = urllib.request.Request(
                    target + self.path, data=body or None, headers=headers, method=self.command
                )
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        status, data = response.status, response.read()
                except urllib.error.HTTPError as error:
                    status, data = error.code, error.read()
                if self.path == lose and not proxy.lost:
                    proxy.lost = True
                    self.close_connection = True  # the request was done; its answer never comes
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_charge_whose_answer_was_lost_is_retried_and_not_made_twice(fake_midtrans, settings):
    proxy = LosingProxy(fake_midtrans.url)
    settings.MIDTRANS_API_BASE = proxy.url

    charge = place_charge("bca_va")

    assert proxy.lost
    assert (charge.order_id, charge.status, charge.gross_amount) == (
        "BTK-0001-1",
        "pending",
        350_000,
    )
    assert charge.va_number
    assert len(fake_midtrans.charges()) == 1
    proxy.server.shutdown()


def test_the_simulator_page_lists_what_is_waiting_in_rupiah_and_wita(fake_midtrans):
    deadline = timezone.now() + timedelta(hours=2)
    charge = place_charge("bca_va", expires_at=deadline)

    page = urllib.request.urlopen(f"{fake_midtrans.url}/simulator/", timeout=5).read().decode()

    assert "Simulator pembayaran (demo)" in page
    assert "Tidak ada uang yang berpindah" in page
    assert charge.va_number in page
    assert "Rp 350.000" in page
    assert f"{charge.expires_at.astimezone(timezone.get_fixed_timezone(480)):%H:%M} WITA" in page
    assert "<script" not in page and "http" not in page.split("<body", 1)[1]


def test_a_cancel_whose_answer_was_lost_is_retried_and_reads_cancelled(fake_midtrans, settings):
    place_charge("bca_va")
    proxy = LosingProxy(fake_midtrans.url, lose="/v2/BTK-0001-1/cancel")
    settings.MIDTRANS_API_BASE = proxy.url

    cancelled = midtrans_api.cancel("BTK-0001-1")

    assert proxy.lost
    assert cancelled.status == "cancel"
    proxy.server.shutdown()


def test_a_refund_whose_answer_was_lost_is_retried_and_refunds_once(fake_midtrans, settings):
    charge = place_charge("qris", amount=350_000)
    fake_midtrans.scan(charge.qr_string)
    proxy = LosingProxy(fake_midtrans.url, lose="/v2/BTK-0001-1/refund")
    settings.MIDTRANS_API_BASE = proxy.url

    refunded = midtrans_api.refund("BTK-0001-1", amount=50_000, refund_key="r-1", reason="ditolak")

    assert proxy.lost
    assert refunded.amount == 50_000
    [listed] = fake_midtrans.charges()
    assert listed["refund_amount"] == "50000.00"
    proxy.server.shutdown()
