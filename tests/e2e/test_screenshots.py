"""The screenshots a newcomer takes of a fresh demo, kept as test artefacts.

Home, catalog, a kemeja's page, its shop and the cart, at 360 px and 1280 px, written as PNGs to
`test-results/screenshots/` (pytest-playwright's output folder, where failing journeys leave
theirs) and checked for what a newcomer would notice first: every picture loaded, none broken,
the home page's hero shown.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from catalog.models import Product
from tests.e2e import steps
from tests.e2e.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _show_every_picture(page: Page) -> None:
    """Scroll down the page as a reader would, so lazy pictures load, then back to the top."""
    height = page.evaluate("document.documentElement.scrollHeight")
    step = page.viewport_size["height"] // 2
    for y in range(0, height + step, step):
        page.evaluate("y => window.scrollTo(0, y)", y)
        page.wait_for_timeout(60)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("[...document.images].every(image => image.complete)")
    page.evaluate("window.scrollTo(0, 0)")


def _broken_pictures(page: Page) -> list[str]:
    """The pictures on the page that did not load (none, or a broken image icon)."""
    return page.evaluate(
        "[...document.images].filter(image => !(image.complete && image.naturalWidth > 0))"
        ".map(image => image.currentSrc || image.src)"
    )


def _take(page: Page, folder: Path, name: str) -> None:
    _show_every_picture(page)
    assert page.locator("img").count() > 0, f"{name}: no picture at all"
    assert not _broken_pictures(page), f"{name}: broken pictures {_broken_pictures(page)}"
    steps.assert_fits_width(page)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


@pytest.fixture
def screenshot_folder(pytestconfig, capsys) -> Path:
    folder = Path(pytestconfig.getoption("--output")).absolute() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    with capsys.disabled():
        print(f"\nScreenshots of the demo: {folder}")


def test_a_newcomers_screenshots_of_the_demo_show_a_real_shop(open_browser, screenshot_folder):
    # given a fresh demo, as `make run` seeds it
    call_command("seed_demo", stdout=io.StringIO())
    kemeja = (
        Product.objects.published()
        .filter(product_type__slug="kemeja", is_made_to_order=False, options__name="M")
        .filter(options__stock__gt=0)
        .select_related("shop")
        .order_by("pk")
        .first()
    )
    assert kemeja is not None

    for width, viewport in (("360", PHONE), ("1280", DESKTOP)):
        page = open_browser(viewport)

        # when a newcomer opens the home page, then its hero picture is shown
        page.goto("/")
        hero = page.get_by_test_id("hero-picture").locator("img")
        expect(hero).to_be_visible()
        assert hero.evaluate("image => image.naturalWidth") > 0
        assert hero.bounding_box()["width"] >= viewport["width"] * 0.4
        _take(page, screenshot_folder, f"home-{width}")

        # and the catalog, a kemeja, its shop and the cart show every picture they have
        page.goto("/batik/")
        _take(page, screenshot_folder, f"catalog-{width}")
        page.goto(kemeja.get_absolute_url())
        expect(page.locator(".gallery img").first).to_be_visible()
        _take(page, screenshot_folder, f"product-{width}")
        page.goto(kemeja.shop.get_absolute_url())
        expect(page.locator(".shop-banner img")).to_be_visible()
        expect(page.locator("img.shop-photo")).to_be_visible()
        _take(page, screenshot_folder, f"shop-{width}")
        page.goto(kemeja.get_absolute_url())
        steps.add_to_cart(page, option_name="M")
        _take(page, screenshot_folder, f"cart-{width}")

    assert sorted(path.name for path in screenshot_folder.glob("*.png")) == sorted(
        f"{name}-{width}.png"
        for name in ("home", "catalog", "product", "shop", "cart")
        for width in ("360", "1280")
    )
