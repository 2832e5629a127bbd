"""The checkout page as a buyer meets it: its words, the address from the official regions (with
and without JavaScript), the shipping for the address chosen and the grand total."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from orders.models import Address, Order
from tests.factories import make_product, make_user
from tests.orders.conftest import address_post, english_url, set_shipping

pytestmark = pytest.mark.django_db

CHECKOUT = "/pesanan/checkout/"


class _Shown(HTMLParser):
    """The text a reader sees inside the elements with a test id: `hidden` ones left out."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str | None, bool]] = []  # (test id, hidden) per open element
        self.texts: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        self.handle_data(" ")  # a new element is a new word (<dt>Total</dt><dd>Rp 1</dd>)
        hidden = "hidden" in attrs or bool(self.stack and self.stack[-1][1])
        self.stack.append((attrs.get("data-testid"), hidden))
        if attrs.get("data-testid"):
            self.texts.setdefault(attrs["data-testid"], []).append("")

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            return
        for testid, _hidden in self.stack:
            if testid:
                self.texts[testid][-1] += data


def shown(html: str, testid: str) -> list[str]:
    parser = _Shown()
    parser.feed(html)
    return [" ".join(text.split()) for text in parser.texts.get(testid, [])]


def _add(client, product, quantity=1):
    client.post(
        reverse("orders:cart-add"), {"option": product.options.get().pk, "quantity": quantity}
    )


def _options(html: str, name: str) -> dict[str, str]:
    """The options of a select: {value: label}."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    found = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return found.group(1) if found else ""


@pytest.fixture
def two_shops(client):
    """A cart with a Rp 350.000 kain from one shop and a Rp 200.000 selendang from another."""
    kain = make_product(price=350_000)
    selendang = make_product(price=200_000)
    set_shipping(kain.shop, rate_local=15_000, rate_kalimantan=35_000, rate_indonesia=60_000)
    set_shipping(selendang.shop, rate_local=10_000, rate_kalimantan=30_000, rate_indonesia=55_000)
    _add(client, kain)
    _add(client, selendang)
    return kain, selendang


def test_the_indonesian_checkout_speaks_indonesian_with_plain_labels(client, two_shops):
    html = client.get(CHECKOUT).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert heading == "Selesaikan pesanan"
    assert "Checkout" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    labels = re.findall(r'<label for="id_address-[a-z_]+"[^>]*>([^<]*)</label>', html)
    assert "Provinsi" in labels
    assert all(not label.strip().endswith(":") for label in labels), labels
    assert all(label[:1].isupper() for label in labels), labels


def test_the_browser_can_fill_in_the_address_by_its_autofill_names(client, two_shops):
    html = client.get(CHECKOUT).content.decode()
    for name, autocomplete in {
        "email": "email",
        "address-recipient": "name",
        "address-phone": "tel",
        "address-street": "street-address",
        "address-postal_code": "postal-code",
        "address-province": "address-level1",
        "address-regency": "address-level2",
    }.items():
        assert re.search(
            rf'<(input|select)[^>]*name="{name}"[^>]*autocomplete="{autocomplete}"', html
        ) or re.search(
            rf'<(input|select)[^>]*autocomplete="{autocomplete}"[^>]*name="{name}"', html
        ), name


def test_each_shop_shows_the_shipping_to_kutai_timur_and_the_grand_total(client, two_shops):
    # Kutai Timur is chosen from the start: most buyers live there.
    html = client.get(CHECKOUT).content.decode()
    assert shown(html, "checkout-shipping") == [
        "Ongkos kirim dalam Kutai Timur: Rp 15.000",
        "Ongkos kirim dalam Kutai Timur: Rp 10.000",
    ]
    total = shown(html, "checkout-total")[0]
    assert "Barang Rp 550.000" in total
    assert "Ongkos kirim Rp 25.000" in total
    assert total.endswith("Total Rp 575.000")
    assert html.index('data-testid="checkout-total"') < html.index("Buat pesanan")


def test_after_a_post_with_errors_the_shipping_is_for_the_regency_chosen(client, two_shops):
    kain, _selendang = two_shops
    # Given a buyer in Jakarta Pusat who forgot their name and picks the kain up at the workshop
    response = client.post(
        CHECKOUT,
        {
            "email": "tamu@example.com",
            "payment_method": "bank_transfer",
            "pickup_shops": [str(kain.shop.pk)],
            **address_post(recipient="", province="31", regency="31.71", district="", village=""),
        },
    )
    html = response.content.decode()
    assert Order.objects.count() == 0
    assert shown(html, "checkout-shipping") == [
        "Ambil di workshop: tanpa ongkos kirim",
        "Ongkos kirim ke luar Kalimantan: Rp 55.000",
    ]
    assert shown(html, "checkout-total")[0].endswith("Total Rp 605.000")


def test_without_a_regency_the_total_waits_for_it(client, two_shops):
    response = client.post(
        CHECKOUT,
        {
            "email": "tamu@example.com",
            "payment_method": "bank_transfer",
            **address_post(regency="", district="", village=""),
        },
    )
    html = response.content.decode()
    assert shown(html, "checkout-shipping")[0] == (
        "Ongkos kirim: tampil setelah kabupaten / kota dipilih"
    )
    assert shown(html, "checkout-total")[0].endswith("Total —")


def test_without_javascript_each_region_button_shows_the_regions_inside(client, two_shops):
    # Given a guest who chooses Jakarta and presses the button beside the province
    base = {"email": "tamu@example.com", "payment_method": "bank_transfer"}
    response = client.post(
        CHECKOUT,
        {
            **base,
            "refresh": "province",
            **address_post(province="31", regency="64.08", district="64.08.04", village=""),
        },
    )
    html = response.content.decode()
    # then the page comes back with Jakarta's kabupaten/kota, what was typed kept, no errors
    assert response.status_code == 200 and Order.objects.count() == 0
    regencies = _options(html, "address-regency")
    assert regencies["31.71"] == "Kota Administrasi Jakarta Pusat"
    assert "64.08" not in regencies and _selected(html, "address-regency") == ""
    assert _options(html, "address-district") == {"": "—"}
    assert 'value="Siti Aminah"' in html
    assert "errorlist" not in html

    # when they choose Jakarta Pusat and press its button, its kecamatan come
    response = client.post(
        CHECKOUT,
        {
            **base,
            "refresh": "regency",
            **address_post(province="31", regency="31.71", district="", village=""),
        },
    )
    html = response.content.decode()
    districts = _options(html, "address-district")
    assert "Gambir" in districts.values()
    assert all(code.startswith("31.71.") for code in districts if code)
    assert shown(html, "checkout-shipping")[0] == "Ongkos kirim ke luar Kalimantan: Rp 60.000"

    # and the kecamatan's villages after the next button
    gambir = next(code for code, name in districts.items() if name == "Gambir")
    response = client.post(
        CHECKOUT,
        {
            **base,
            "refresh": "district",
            **address_post(province="31", regency="31.71", district=gambir, village=""),
        },
    )
    villages = _options(response.content.decode(), "address-village")
    assert len(villages) > 1 and all(code.startswith(gambir) for code in villages if code)


def test_a_kabupaten_from_another_province_is_refused(client, two_shops):
    response = client.post(
        english_url("orders:checkout"),
        {
            "email": "tamu@example.com",
            "payment_method": "bank_transfer",
            **address_post(province="31"),
        },
    )
    assert response.status_code == 200
    assert response.context["address_form"].errors["regency"] == [
        "Choose from the list: it follows the region chosen above it."
    ]
    assert Order.objects.count() == 0


def test_the_order_keeps_the_official_names_and_codes_chosen(client, two_shops):
    client.post(
        CHECKOUT,
        {
            "email": "tamu@example.com",
            "payment_method": "bank_transfer",
            **address_post(province="64", regency="64.72", district="64.72.01", village=""),
        },
    )
    assert Order.objects.count() == 0  # no village yet
    village = "64.72.01.1001"
    client.post(
        CHECKOUT,
        {
            "email": "tamu@example.com",
            "payment_method": "bank_transfer",
            **address_post(province="64", regency="64.72", district="64.72.01", village=village),
        },
    )
    order = Order.objects.get()
    assert (order.province, order.kabupaten) == ("Kalimantan Timur", "Kota Samarinda")
    assert (order.regency_code, order.village_code) == ("64.72", village)
    assert order.shipping_zone == "kalimantan"
    assert order.shipping_total == 35_000 + 30_000


def test_an_address_saved_before_the_codes_still_orders_with_its_zone(client, two_shops):
    # Given an account with an address saved by the old checkout: typed names, no codes
    user = make_user()
    old = Address.objects.create(
        user=user,
        recipient="Budi",
        phone="+6281350002000",
        street="Jl. Yos Sudarso II No. 21",
        kelurahan="Teluk Lingga",
        kecamatan="Sangatta Utara",
        kabupaten="Kutai Timur",
        province="Kalimantan Timur",
        postal_code="75683",
        is_default=True,
    )
    client.force_login(user)
    kain, selendang = two_shops
    _add(client, kain)
    _add(client, selendang)

    # the checkout offers it with its zone, for the page's script
    html = client.get(CHECKOUT).content.decode()
    assert re.search(rf'<option value="{old.pk}" data-zone="local"', html)

    # and ordering with it charges the shipping within Kutai Timur
    response = client.post(
        CHECKOUT,
        {
            "saved_address": str(old.pk),
            "payment_method": "bank_transfer",
            **address_post(recipient=""),
        },
    )
    order = Order.objects.get(buyer=user)
    assert response.status_code == 302
    assert (order.kabupaten, order.regency_code) == ("Kutai Timur", "")
    assert (order.shipping_zone, order.shipping_total) == ("local", 25_000)


def test_the_checkout_asks_as_many_queries_for_four_makers_as_for_two(
    client, two_shops, django_assert_num_queries
):
    # the cart's lines, the provinces, Kalimantan Timur's kabupaten, Kutai Timur's kecamatan
    with django_assert_num_queries(4):
        assert client.get(CHECKOUT).status_code == 200
    for _ in range(2):
        _add(client, make_product())
    with django_assert_num_queries(4):
        assert client.get(CHECKOUT).status_code == 200


def test_placing_an_order_reads_its_payment_once(client, two_shops, django_assert_num_queries):
    # A guest's cash-on-delivery order from two makers: the cart's lines, the four region
    # lists; the options locked, their shops, each line's stock; the order, its sub-orders,
    # lines, events and payment; the payment read back once (for the email and the redirect);
    # the email's sub-orders and lines; the notice and its email; the session saved.
    set_shipping(two_shops[0].shop, offers_cod=True)
    set_shipping(two_shops[1].shop, offers_cod=True)
    with django_assert_num_queries(26):
        response = client.post(
            CHECKOUT,
            {"email": "tamu@example.com", "payment_method": "cod", **address_post()},
        )
    assert response.status_code == 302
    assert Order.objects.get().status == Order.Status.CONFIRMED
