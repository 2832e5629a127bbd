"""The local fake WhatsApp Cloud API (`fakes.whatsapp`) for the tests; nothing reaches Meta.

A test module imports the fixture functions it uses (`whatsapp_server_fixture`,
`fake_whatsapp_fixture`); the tests ask for them by their short names: `whatsapp_server` (one
process for the whole run) and `fake_whatsapp` (settings pointed at it, its messages cleared).
`WHATSAPP_ENV` is the same configuration as environment variables, for a worker process.
"""

import json
import urllib.error
import urllib.request

import pytest

from tests.fake_servers import free_port, running_fake

TOKEN = "EAAG-batik-kutim-test-token"
PHONE_NUMBER_ID = "109876543210987"
TEMPLATES = {
    "new_order": "pesanan_baru",
    "payment": "pembayaran",
    "reminder": "pengingat",
    "invitation": "undangan_penawaran",
}


class FakeWhatsApp:
    """The running fake: its URL, what it received, and the test's controls."""

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

    def messages(self) -> list[dict]:
        """Every template message accepted: to (digits), template, language, parameters, id."""
        return self._request("GET", "/_sim/messages.json")

    def down(self) -> None:
        """Every message from now on is answered 503 (code 2), as in an outage."""
        self._request("POST", "/_config/mode", {"mode": "down"})

    def up(self) -> None:
        self._request("POST", "/_config/mode", {"mode": "up"})

    def flush(self) -> None:
        self._request("DELETE", "/_config/data")


def whatsapp_env(url: str) -> dict[str, str]:
    """The project's WhatsApp settings as environment variables (for a worker process)."""
    return {
        "WHATSAPP_TOKEN": TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_API_BASE": url,
        "WHATSAPP_TEMPLATE_NEW_ORDER": TEMPLATES["new_order"],
        "WHATSAPP_TEMPLATE_PAYMENT": TEMPLATES["payment"],
        "WHATSAPP_TEMPLATE_REMINDER": TEMPLATES["reminder"],
        "WHATSAPP_TEMPLATE_INVITATION": TEMPLATES["invitation"],
    }


@pytest.fixture(scope="session", name="whatsapp_server")
def whatsapp_server_fixture(tmp_path_factory):
    """A fake WhatsApp Cloud API process on a free 127.0.0.1 port for the whole test run."""
    port = free_port()
    with running_fake(
        [
            "-m", "fakes.whatsapp", "--port", str(port), "--token", TOKEN,
            "--phone-number-id", PHONE_NUMBER_ID, "--templates", ",".join(TEMPLATES.values()),
        ],
        port=port,
        probe="/_sim/messages.json",
        folder=tmp_path_factory.mktemp("fake_whatsapp"),
    ) as url:  # fmt: skip
        yield FakeWhatsApp(url)


@pytest.fixture(name="fake_whatsapp")
def fake_whatsapp_fixture(whatsapp_server, settings):
    """Point the project's WhatsApp settings at the fake, with its messages cleared."""
    whatsapp_server.flush()
    settings.WHATSAPP_TOKEN = TOKEN
    settings.WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.WHATSAPP_API_BASE = whatsapp_server.url
    settings.WHATSAPP_TEMPLATES = dict(TEMPLATES)
    settings.WHATSAPP_TIMEOUT_SECONDS = 5
    settings.WHATSAPP_MAX_NETWORK_RETRIES = 0
    yield whatsapp_server
    whatsapp_server.flush()
