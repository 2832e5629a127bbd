"""A local fake Stripe (localstripe) for the card payment tests; nothing reaches the internet.

A test module imports the fixture functions it uses (`fake_stripe_fixture`,
`localstripe_server_fixture`, `stripe_keys_fixture`); the tests ask for them by their short names.
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import stripe
from django.conf import settings
from django.utils import translation

from marketplace.csp import content_security_policy
from tests.fake_servers import free_port, running_fake

SECRET_KEY = "sk_test_batik_kutim"
PUBLISHABLE_KEY = "pk_test_batik_kutim"
WEBHOOK_SECRET = "whsec_test_batik_kutim"

# localstripe listens on every interface and pickles its state to /tmp/localstripe.pickle when
# started its own way; this runs its aiohttp app on 127.0.0.1 only, with state kept in memory.
_SERVER = """
import sys
from aiohttp import web
from localstripe import resources, server
resources.Store.dump_to_disk = lambda self: None
resources.Store.try_load_from_disk = lambda self: None
web.run_app(server.app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


class FakeStripe:
    """The running fake server: its URL, a client for playing the buyer's browser, and config."""

    def __init__(self, url: str):
        self.url = url
        self.client = stripe.StripeClient(
            SECRET_KEY, base_addresses={"api": url}, max_network_retries=0
        )

    def _request(self, method: str, path: str, data: dict | None = None) -> None:
        body = urllib.parse.urlencode(data or {}).encode() if data is not None else None
        request = urllib.request.Request(f"{self.url}{path}", data=body, method=method)
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200

    def register_webhook(self, url: str, *, secret: str = WEBHOOK_SECRET) -> None:
        """Send signed events to `url` (replaces the previous registration of the tests)."""
        self._request("POST", "/_config/webhooks/batik", {"url": url, "secret": secret})

    def unregister_webhook(self) -> None:
        # localstripe cannot delete a webhook: point it at a closed port instead.
        self.register_webhook(f"http://127.0.0.1:{free_port()}/gone/")

    def flush(self) -> None:
        self._request("DELETE", "/_config/data")

    def pay_intent_with(self, intent_id: str, payment_method: str):
        """Play Stripe.js: attach the card and confirm (a decline comes back as an error)."""
        self.client.v1.payment_intents.update(intent_id, {"payment_method": payment_method})
        try:
            return self.client.v1.payment_intents.confirm(intent_id)
        except stripe.CardError:
            return self.client.v1.payment_intents.retrieve(intent_id)

    def refunds_for(self, intent_id: str) -> list:
        return list(self.client.v1.refunds.list({"payment_intent": intent_id}).data)


@pytest.fixture(scope="session", name="localstripe_server")
def localstripe_server_fixture(tmp_path_factory):
    """A localstripe process on a free 127.0.0.1 port for the whole test run."""
    folder = tmp_path_factory.mktemp("localstripe")
    port = free_port()
    # localstripe's own start writes its state beside it: run it from a folder of its own.
    with running_fake(
        ["-c", _SERVER, str(port)], port=port, probe="/js.stripe.com/v3/", folder=folder, cwd=folder
    ) as url:
        yield FakeStripe(url)


@pytest.fixture(name="fake_stripe")
def fake_stripe_fixture(localstripe_server, settings):
    """Point the project's Stripe settings at the fake server, with its data cleared."""
    localstripe_server.flush()
    localstripe_server.unregister_webhook()
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_JS_URL = f"{localstripe_server.url}/js.stripe.com/v3/"
    # As a deployment with these addresses would have it: the fake's script may load.
    settings.SECURE_CSP = content_security_policy(
        stripe_js_url=settings.STRIPE_JS_URL, stripe_api_base=settings.STRIPE_API_BASE
    )
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    yield localstripe_server
    localstripe_server.unregister_webhook()


@pytest.fixture(name="stripe_keys")
def stripe_keys_fixture(settings):
    """Stripe configured but unreachable (a closed port): for tests that only sign webhooks."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0


@pytest.fixture(name="reset_language", autouse=True)
def reset_language_fixture():
    """A request to an /en/ page leaves English active in this thread: put the default back so
    later tests that build URLs with reverse() get the unprefixed Indonesian ones."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def signed(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    """A webhook body and its Stripe-Signature header, signed by the library itself."""
    payload = json.dumps(event)
    timestamp = int(time.time()) if timestamp is None else timestamp
    header = stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)
    return payload, header
