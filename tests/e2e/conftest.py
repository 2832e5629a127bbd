"""Browser journeys: Debian's Chromium, driven by Playwright, against Django's live server.

The live server is a thread of this process, so allauth's email lands in
`django.core.mail.outbox`; the Celery worker is a real process on the same test database.
"""

import io
import os
import re
from collections.abc import Callable

import pytest
from django.utils import translation
from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


_running: dict = {}


def _stop_playwright() -> None:
    """Close the browser and stop Playwright (once), then forbid ORM calls beside a loop again."""
    browser = _running.pop("browser", None)
    if browser is not None:
        browser.close()
    instance = _running.pop("playwright", None)
    if instance is not None:
        instance.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture(scope="session")
def playwright(_pw_api_request_contexts):
    """pytest-playwright's Playwright, allowing the ORM beside it for as long as it runs.

    Playwright's sync API keeps an event loop running in the test's thread until it stops, and
    Django refuses ORM calls made while a loop runs (SynchronousOnlyOperation) unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. pytest runs the browser tests first (their browser is a
    session parameter), so Playwright is stopped and the variable removed right after the last
    one (see pytest_runtest_teardown): later tests, and processes they start (`check --deploy`
    rejects the variable), never see either.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    instance = sync_playwright().start()
    if _pw_api_request_contexts:
        _pw_api_request_contexts.instrument(instance)
    _running["playwright"] = instance
    yield instance
    _stop_playwright()


@pytest.fixture(scope="session")
def browser(launch_browser):
    _running["browser"] = launch_browser()
    yield _running["browser"]
    _stop_playwright()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last test that uses Playwright, stop it instead of waiting for the session end."""
    result = yield
    if _running:
        items = item.session.items
        later = items[items.index(item) + 1 :]
        if not any("playwright" in getattr(other, "fixturenames", ()) for other in later):
            _stop_playwright()
    return result


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (Playwright cannot download its own here), always headless."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def broker_env(broker_env):
    """Drop the broker pool the shared fixture closed, so the live server can publish again."""
    from kombu import pools

    from marketplace.celery import app as celery_app

    pools.reset()
    celery_app._pool = None
    celery_app.__dict__.get("amqp") and setattr(celery_app.amqp, "_producer_pool", None)
    return broker_env


@pytest.fixture(autouse=True)
def _indonesian_first():
    """A request under /en/ leaves English active; every test starts in Indonesian."""
    translation.activate("id")
    yield
    translation.activate("id")


class BrowserErrors:
    """JavaScript errors and failed loads seen by any page of the test's browser contexts."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, context) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.messages.append(f"uncaught: {error.error}"))

    def _on_console(self, message) -> None:
        if message.type == "error":
            self.messages.append(f"console: {message.text} at {message.location.get('url')}")


@pytest.fixture
def browser_errors():
    """Collects the errors; the test fails at teardown if any page logged one."""
    errors = BrowserErrors()
    yield errors
    assert not errors.messages, "errors in the browser:\n" + "\n".join(errors.messages)


@pytest.fixture
def open_browser(new_context, live_server, browser_errors) -> Callable:
    """open_browser(viewport) -> a page in a fresh context (own cookies) at the live server.

    Contexts come from pytest-playwright's `new_context`, so their screenshots and traces are
    kept under test-results/ when the test fails.
    """

    def open_page(viewport: dict[str, int] = DESKTOP, locale: str = "id-ID"):
        context = new_context(viewport=viewport, base_url=live_server.url, locale=locale)
        context.set_default_timeout(15_000)
        browser_errors.watch(context)
        return context.new_page()

    return open_page


def png_bytes(size: tuple[int, int] = (320, 480), colour: str = "#3b6e8f") -> bytes:
    """A real PNG, e.g. the photo of a transfer receipt."""
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format="PNG")
    return output.getvalue()


def jpeg_bytes(size: tuple[int, int] = (900, 1200), colour: str = "#7a3b12") -> bytes:
    """A real JPEG with some structure, like a photo of a batik cloth."""
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 60):
        for y in range(0, size[1], 60):
            if (x + y) // 60 % 2:
                image.paste("#e8c07a", (x, y, x + 30, y + 30))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


def confirmation_path(body: str) -> str:
    """The path of allauth's email confirmation link in an email body."""
    match = re.search(r"https?://[^/\s]+(/\S*konfirmasi\S*|/\S*confirm-email\S*)", body)
    assert match, body
    return match.group(1)
