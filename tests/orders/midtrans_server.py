"""The local fake Midtrans (`fakes.midtrans`) for the payment tests; nothing reaches the internet.

A test module imports the fixture functions it uses (`midtrans_server_fixture`,
`fake_midtrans_fixture`, `notification_receiver_fixture`); the tests ask for them by their short
names: `midtrans_server` (one process for the whole run), `fake_midtrans` (settings pointed at it,
its data cleared) and `notification_receiver` (an endpoint that keeps the notifications sent).
"""

import json
import time
import urllib.error
import urllib.request

import pytest

from tests.fake_servers import free_port, running_fake

SERVER_KEY = "SB-Mid-server-batik-kutim"


class FakeMidtrans:
    """The running fake: its URL, and the buyer's and the test's controls."""

    def __init__(self, url: str):
        self.url = url

    def _request(self, method: str, path: str, data: dict | None = None):
        body = json.dumps(data).encode() if data is not None else None
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=body,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200
            return json.loads(response.read() or b"null")

    def pay(self, order_id: str) -> dict:
        """The buyer pays the charge (VA transfer, e-wallet, QR): it settles."""
        return self._request("POST", f"/_sim/pay/{order_id}", {})

    def scan(self, qr_string: str) -> dict:
        """The buyer scans a QRIS (or GoPay QR) and pays it."""
        return self._request("POST", "/_sim/scan", {"qr_string": qr_string})

    def expire(self, order_id: str) -> dict:
        """The charge's time runs out at Midtrans."""
        return self._request("POST", f"/_sim/expire/{order_id}", {})

    def renotify(self, order_id: str) -> dict:
        """Midtrans sends the charge's last notification again (a duplicate)."""
        return self._request("POST", f"/_sim/notify/{order_id}", {})

    def hold_notifications(self) -> None:
        """Notifications from now on are lost (never delivered)."""
        self._request("POST", "/_config/notifications", {"mode": "hold"})

    def send_notifications(self) -> None:
        self._request("POST", "/_config/notifications", {"mode": "send"})

    def charges(self) -> list[dict]:
        return self._request("GET", "/_sim/charges.json")

    def notifications(self) -> list[dict]:
        """Each notification made: where it went, how many attempts, whether it was delivered."""
        return self._request("GET", "/_sim/notifications.json")

    def flush(self) -> None:
        self._request("DELETE", "/_config/data")


@pytest.fixture(scope="session", name="midtrans_server")
def midtrans_server_fixture(tmp_path_factory):
    """A fake Midtrans process on a free 127.0.0.1 port for the whole test run."""
    port = free_port()
    with running_fake(
        ["-m", "fakes.midtrans", "--port", str(port), "--server-key", SERVER_KEY],
        port=port,
        probe="/_sim/charges.json",
        folder=tmp_path_factory.mktemp("fake_midtrans"),
    ) as url:
        yield FakeMidtrans(url)


@pytest.fixture(name="fake_midtrans")
def fake_midtrans_fixture(midtrans_server, settings):
    """Point the project's Midtrans settings at the fake, with its data cleared."""
    midtrans_server.flush()
    settings.MIDTRANS_SERVER_KEY = SERVER_KEY
    settings.MIDTRANS_CLIENT_KEY = "SB-Mid-client-batik-kutim"
    settings.MIDTRANS_API_BASE = midtrans_server.url
    settings.MIDTRANS_NOTIFICATION_URL = ""
    settings.MIDTRANS_TIMEOUT_SECONDS = 5
    settings.MIDTRANS_MAX_NETWORK_RETRIES = 2
    yield midtrans_server
    midtrans_server.flush()


class NotificationReceiver:
    """A tiny HTTP endpoint in a thread that keeps every JSON body posted to it.

    `fail_next` answers that many posts with 500 first, as a receiver that is down would.
    """

    def __init__(self):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        receiver = self
        self.bodies: list[dict] = []
        self.fail_next = 0
        self.arrived = threading.Condition()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.arrived:
                    failing = receiver.fail_next > 0
                    if failing:
                        receiver.fail_next -= 1
                    else:
                        receiver.bodies.append(json.loads(body))
                        receiver.arrived.notify_all()
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/midtrans/notification/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def wait_for(self, order_id: str, status: str, *, timeout: float = 5) -> dict:
        """The first notification of `order_id` with this transaction_status, once it has come."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while True:
                for body in self.bodies:
                    if (
                        body.get("order_id") == order_id
                        and body.get("transaction_status") == status
                    ):
                        return body
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"No {status} notification for {order_id}: {self.bodies}")
                self.arrived.wait(timeout=left)

    def received(self, order_id: str, status: str) -> list[dict]:
        with self.arrived:
            return [
                body
                for body in self.bodies
                if body.get("order_id") == order_id and body.get("transaction_status") == status
            ]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(name="notification_receiver")
def notification_receiver_fixture(fake_midtrans, settings):
    """A receiver for the fake's notifications, named in each charge (X-Override-Notification)."""
    receiver = NotificationReceiver()
    settings.MIDTRANS_NOTIFICATION_URL = receiver.url
    yield receiver
    receiver.close()
