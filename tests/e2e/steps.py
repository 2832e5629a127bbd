"""What users do in the browser, step by step, shared by the journeys.

Selectors follow the page structure (ids, names, test ids, hrefs) rather than wording, so the
steps work in Indonesian and English and keep working when the integrator translates new strings.
"""

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import png_bytes
from tests.factories import PASSWORD

GUEST_ADDRESS = {
    "recipient": "Siti Aminah",
    "phone": "0812-3456-7890",
    "street": "Jl. Pendidikan No. 12, RT 05",
    "postal_code": "75683",
}
# The regions chosen from the official lists, from the province down (by name).
GUEST_REGIONS = {
    "province": "Kalimantan Timur",
    "regency": "Kabupaten Kutai Timur",
    "district": "Sangatta Utara",
    "village": "Swarga Bara",
}


def assert_fits_width(page: Page) -> None:
    """The page does not scroll sideways at the browser's width (a phone's 360 px included)."""
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide in a {width} px window"


def open_menu(page: Page) -> None:
    """The account menu in the header (a <details>), opened if it is closed."""
    menu = page.locator("header details.menu")
    if not menu.evaluate("details => details.open"):
        menu.locator("summary").click()
    expect(menu.locator(".menu-panel")).to_be_visible()


def switch_language(page: Page, code: str) -> None:
    open_menu(page)
    page.locator(f".menu-panel .language-links a[hreflang='{code}']").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", code)


def search(page: Page, words: str) -> None:
    page.locator("#site-search").fill(words)
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/batik/\?q="))


def follow_suggestion(page: Page, words: str) -> None:
    """On a list whose search was corrected: the "Maksud Anda" link to `words`, followed."""
    link = page.get_by_test_id("did-you-mean").locator("a")
    expect(link).to_have_text(words)
    link.click()
    page.wait_for_url(re.compile(r"/batik/\?q=" + re.escape(words.replace(" ", "+")) + "$"))


def open_filters(page: Page) -> None:
    """The filter drawer is closed on phones and opened by the page's script on desktops."""
    drawer = page.locator("#filters")
    if not drawer.evaluate("details => details.open"):
        drawer.locator("summary").click()
    expect(page.locator("#filters .filter-body")).to_be_visible()


def add_to_cart(page: Page, *, option_name: str | None = None, quantity: int = 1) -> None:
    """On a product page: choose the option (size) by its name, then add it to the cart."""
    form = page.locator("form.add-to-cart")
    if option_name is not None:
        form.locator("label.option", has_text=option_name).click()
        expect(form.locator("label.option", has_text=option_name).locator("input")).to_be_checked()
    if quantity != 1:
        form.locator("#quantity").fill(str(quantity))
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pesanan/keranjang/$"))


def fill_address(
    page: Page, address: dict[str, str] = GUEST_ADDRESS, regions: dict[str, str] = GUEST_REGIONS
) -> None:
    for name, value in address.items():
        page.locator(f"#id_address-{name}").fill(value)
    # Each choice fills the next select in place; select_option waits for its option to come.
    for name, label in regions.items():
        page.locator(f"#id_address-{name}").select_option(label=label)


def checkout(page: Page, *, email: str | None, payment: str = "bank_transfer") -> str:
    """From the cart: fill the checkout form, place the order; returns the order page's URL."""
    page.locator("main a.button[href$='/pesanan/checkout/']").click()
    page.wait_for_url(re.compile(r"/pesanan/checkout/$"))
    if email is not None:
        page.locator("#id_email").fill(email)
    fill_address(page)
    assert_fits_width(page)
    page.locator(f"input[name=payment_method][value={payment}]").check()
    page.locator("form.checkout-form button[type=submit]").click()
    # Online payments land on the order's payment page, the others on the order's page.
    page.wait_for_url(re.compile(r"/pesanan/(lacak/[^/]+|[A-Z0-9-]+)/(bayar-online/)?$"))
    return page.url


def upload_transfer_proof(page: Page) -> None:
    box = page.get_by_test_id("bank-transfer")
    box.locator("input[name=proof]").set_input_files(
        {"name": "bukti-transfer.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("bank-transfer").locator(".notice")).to_be_visible()


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/akun/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.locator("header .menu-who")).to_have_count(1)


def admin_log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def run_admin_action(page: Page, *, changelist: str, row_text: str, action: str) -> None:
    """In a Django admin change list: tick the row showing row_text and run the action."""
    page.goto(changelist)
    row = page.locator("#result_list tbody tr", has_text=row_text)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("#changelist-form button[name=index]").click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
