"""A regency office buys 120 batik shirts through the cooperative, in Chromium.

The officer drafts the request from a staff CSV on a phone, the cooperative's admin invites three
makers, they offer on their phones, the admin splits the work and sends the quote asking half
down, the officer accepts, the worker routes one sub-order to each maker; the officer pays the
down payment by transfer and the admin confirms it; each maker sees the part with its packing
list by staff name, starts it, makes it and brings it; the officer confirms the handover, pays
the rest, and the invoices and kwitansi printed from the quote's page add up to the ledger.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from catalog.models import ProductType
from ledger.models import LedgerEntry
from notifications.models import Notification
from orders.models import Order, Payment, SubOrder
from procurement import services
from procurement.models import Institution, InstitutionMember, Invitation, ProcurementRequest
from tests.conftest import wait_for
from tests.e2e import steps
from tests.e2e.conftest import DESKTOP, PHONE, jpeg_bytes, png_bytes
from tests.factories import make_product, make_shop, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SIZES = {"S": 20, "M": 40, "L": 40, "XL": 20}
OFFERS = [50, 50, 40]  # pieces each maker offers, spread over the sizes like the request
MAKER_PRICE = 300_000  # the first maker's price per piece; the next ones ask Rp 1.000 more each
PRICES = {"S": 330_000, "M": 330_000, "L": 330_000, "XL": 345_000}
MAKERS = [
    ("Batik Paku Sangatta", "paku@batik.example"),
    ("Telapak Tangan Sangatta", "telapak@batik.example"),
    ("Singkong Rantau Pulung", "singkong@batik.example"),
]


def staff_csv() -> bytes:
    """The office's staff list as its spreadsheet exports it: name; unit; size."""
    lines, number = ["Nama;Unit kerja;Ukuran"], 0
    for size, count in SIZES.items():
        for _ in range(count):
            number += 1
            lines.append(f"Pegawai {number:03};Bidang {number % 4 + 1};{size}")
    return ("\n".join(lines) + "\n;;\n").encode()


def share_of(pieces: int) -> dict[str, int]:
    share = {size: round(pieces * count / 120) for size, count in SIZES.items()}
    share["M"] += pieces - sum(share.values())
    return share


def signed_in(page: Page, user, *, url: str) -> Page:
    """The page's browser signed in as `user` by a session cookie (the login form itself is
    walked through by the officer here and by the other journeys)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": url}])
    return page


def submit(page: Page, form: str) -> None:
    """Submit the form and wait for the page the server answers with."""
    with page.expect_navigation():
        page.locator(form).locator("[type=submit]").last.click()


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def read_rupiah(text: str) -> int:
    match = re.fullmatch(r"Rp ([\d.]+)", text.strip())
    assert match, text
    return int(match.group(1).replace(".", ""))


def pay_by_transfer(office: Page, admin: Page, *, quote_url: str, order: Order, amount: int):
    """The officer uploads the transfer's proof on the quote's page for the payment asked (of
    `amount`), the admin sees the proof on the order in the admin and confirms it."""
    office.goto(quote_url)
    due = office.get_by_test_id("payment-due")
    expect(due).to_have_count(1)
    expect(due).to_contain_text(rupiah(amount))
    due.locator("input[name=proof]").set_input_files(
        {"name": "bukti-transfer.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    submit(office, "[data-testid=payment-due] form")
    office.goto(quote_url)
    expect(office.get_by_test_id("payment-due").locator(".notice")).to_be_visible()

    admin.goto(f"/admin/orders/order/{order.pk}/change/")
    expect(admin.locator(".inline-related a[href*='/bukti-transfer/']")).not_to_have_count(0)
    with admin.expect_navigation():
        admin.locator(".object-tools form[action$='/confirm-transfer/'] button").click()
    expect(admin.locator("ul.messagelist li.success")).to_be_visible()


def test_an_office_orders_uniforms_from_three_makers_through_the_cooperative(
    open_browser, live_server, celery_worker
):
    # given a verified regency office with its officer, the cooperative's admin, and three
    # verified makers of the paku motif
    ProductType.objects.get_or_create(slug="kemeja", defaults={"name": "Kemeja"})
    superuser = make_user(email="ketua@koperasi.example", is_staff=True, is_superuser=True)
    institution = Institution.objects.create(
        name="Dinas Koperasi dan UKM Kabupaten Kutai Timur", kind=Institution.Kind.GOVERNMENT,
        address="Jl. Soekarno Hatta, Sangatta", email_domain="kutaitimurkab.go.id",
    )  # fmt: skip
    services.verify_institution(institution=institution, by=superuser)
    officer = make_user(email="pengadaan@kutaitimurkab.go.id", display_name="Rina Pengadaan")
    InstitutionMember.objects.create(
        institution=institution, user=officer, role=InstitutionMember.Role.OFFICER
    )
    shops = []
    for name, email in MAKERS:
        shop = make_shop(name=name, owner=make_user(email=email), is_verified=True)
        make_product(shop=shop, motif="paku")
        shops.append(shop)

    # when the officer drafts the request on a phone from the staff list and sends it
    office = open_browser(PHONE)
    steps.log_in(office, officer.email)
    office.goto("/instansi/permintaan/baru/")
    office.locator("#id_title").fill("Seragam batik pegawai 2027")
    office.locator("#id_product_type").select_option(label="Kemeja")
    office.locator("#id_budget_per_piece").fill("350000")
    needed_by = timezone.localdate() + timedelta(days=60)
    office.locator("#id_needed_by").fill(needed_by.isoformat())
    office.locator("#id_delivery_address").fill("Kantor Dinas Koperasi, Jl. Soekarno Hatta")
    office.locator("#id_staff_list").set_input_files(
        {"name": "pegawai.csv", "mimeType": "text/csv", "buffer": staff_csv()}
    )
    steps.assert_fits_width(office)
    submit(office, "main form.form")
    expect(office.get_by_test_id("request-total")).to_have_text("120")
    steps.assert_fits_width(office)
    submit(office, "main form[action$='/kirim/']")
    request = ProcurementRequest.objects.get()
    assert request.status == ProcurementRequest.Status.SUBMITTED

    # the cooperative's admin opens it, invites the three suggested makers
    admin = open_browser(DESKTOP)
    steps.admin_log_in(admin, superuser.email)
    admin.goto(f"/admin/procurement/procurementrequest/{request.pk}/change/")
    admin.locator(".object-tools a[href$='/undang/']").click()
    rows = admin.get_by_test_id("invite-row")
    expect(rows.filter(has=admin.get_by_test_id("suggested"))).to_have_count(3)
    for shop in shops:
        admin.locator(f"#shop-{shop.pk}").check()
    submit(admin, "#content form")
    expect(admin.locator("ul.messagelist li.success")).to_be_visible()
    expect(admin.get_by_test_id("invited")).to_have_count(3)
    assert Invitation.objects.filter(request=request).count() == 3

    # each maker is told, finds the request on the dashboard and offers on a phone
    makers = {}
    for index, (shop, pieces) in enumerate(zip(shops, OFFERS, strict=True)):
        assert Notification.objects.filter(
            recipient=shop.owner, kind="procurement-invitation"
        ).exists()
        maker = makers[shop.pk] = signed_in(open_browser(PHONE), shop.owner, url=live_server.url)
        maker.goto("/dasbor/permintaan-instansi/")
        maker.get_by_test_id("invitation").get_by_role("link").click()
        for size, count in share_of(pieces).items():
            maker.locator(f"#id_size_{size}").fill(str(count))
        maker.locator("#id_price_per_piece").fill(str(MAKER_PRICE + index * 1_000))
        maker.locator("#id_delivery_date").fill((needed_by - timedelta(days=5)).isoformat())
        steps.assert_fits_width(maker)
        submit(maker, "[data-testid=offer-form]")
        expect(maker.locator("ul.messages .message-success")).to_be_visible()
    assert request.offers.count() == 3

    # the admin saves the proposed split (it fills the 120) and sends the quote
    admin.goto(f"/admin/procurement/procurementrequest/{request.pk}/pembagian/")
    expect(admin.get_by_test_id("allocation-total")).to_have_text("120")
    submit(admin, "#content form")
    expect(admin.locator("ul.messagelist li.success")).to_be_visible()
    admin.goto(f"/admin/procurement/procurementrequest/{request.pk}/penawaran/")
    for size, price in PRICES.items():  # the cooperative's price, above every maker's
        admin.locator(f"#id_price_{size}").fill(str(price))
    admin.locator("#id_down_payment_percent").fill("50")  # half down, the rest after the handover
    with admin.expect_navigation():
        admin.locator("input[name=issue]").click()
    expect(admin.locator("ul.messagelist li.success")).to_be_visible()
    quote = request.quotes.get()
    quote_url = f"/instansi/penawaran/{quote.pk}/"

    # the officer sees the cooperative's quote, never a maker's price, and accepts it
    office.goto(f"/instansi/permintaan/{request.pk}/")
    office.get_by_test_id("quote-link").get_by_role("link").click()
    expected_total = sum(PRICES[size] * count for size, count in SIZES.items())
    expect(office.get_by_test_id("quote-total")).to_have_text(rupiah(expected_total))
    assert "301.000" not in office.content() and "302.000" not in office.content()
    accept = office.get_by_test_id("accept-quote")
    accept.locator("input[name=payment_method][value=bank_transfer]").check()
    accept.locator("input[name=recipient]").fill("Bagian Umum Dinas Koperasi")
    accept.locator("input[name=phone]").fill("0812 5000 1111")
    steps.assert_fits_width(office)
    submit(office, "[data-testid=accept-quote] form")
    expect(office.get_by_test_id("quote-order")).to_be_visible()

    # then one order, routed by the worker: a sub-order for each maker, each told once
    order = Order.objects.get()
    assert order.total == expected_total and order.suborders.count() == 3
    wait_for(lambda: Order.objects.filter(pk=order.pk, routed_at__isnull=False).exists())
    for shop in shops:
        wait_for(
            lambda shop=shop: (
                Notification.objects.filter(recipient=shop.owner, kind="order-routed").count() == 1
            )
        )

    # when the officer pays the down payment asked (half of each maker's part) by transfer
    down_payment = sum(suborder.down_payment for suborder in order.suborders.all())
    assert down_payment == order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT).amount
    assert abs(down_payment - expected_total // 2) <= 3  # each part rounded on its own
    pay_by_transfer(office, admin, quote_url=quote_url, order=order, amount=down_payment)

    # then it is paid and the office sees it, with nothing more asked before the handover
    down = order.payments.get(purpose=Payment.Purpose.DOWN_PAYMENT)
    assert down.status == Payment.Status.PAID and down.confirmed_by == superuser
    office.goto(quote_url)
    expect(office.get_by_test_id("amount-paid")).to_have_text(rupiah(down_payment))
    expect(office.get_by_test_id("payment-due")).to_have_count(0)

    # each maker sees their part with its packing list by staff name, makes it and brings it
    packed = []
    photo = {"name": "canting.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    for shop in shops:
        maker, suborder = makers[shop.pk], order.suborders.get(shop=shop)
        maker.goto("/dasbor/pesanan/")
        maker.locator(f"main a[href$='/pesanan/{suborder.pk}/']").first.click()
        maker.wait_for_url(re.compile(rf"/dasbor/pesanan/{suborder.pk}/$"))
        steps.assert_fits_width(maker)
        maker.get_by_test_id("packing-list-link").click()
        rows = maker.get_by_test_id("packing-row")
        pieces = sum(line.quantity for line in suborder.lines.all())
        expect(rows).to_have_count(pieces)
        packed += [
            tuple(cells[1:4:2])
            for cells in (row.locator("td").all_inner_texts() for row in rows.all())
        ]
        maker.goto(f"/dasbor/pesanan/{suborder.pk}/")
        ready_by = maker.locator("#id_ready_by")
        if not ready_by.input_value():
            ready_by.fill((needed_by - timedelta(days=7)).isoformat())
        submit(maker, "form[action$='/terima/']")
        maker.get_by_test_id("start-work").locator("input[name=photo]").set_input_files(photo)
        submit(maker, "[data-testid=start-work] form")
        # started after the down payment came: it is the maker's (less the margin on it)
        assert SubOrder.objects.get(pk=suborder.pk).status == SubOrder.Status.IN_PROGRESS
        assert LedgerEntry.objects.filter(suborder=suborder, kind="down_payment").count() == 1
        # made, it goes to the office: the rest is invoiced after the handover
        submit(maker, "form[action$='/siap/']")
        submit(maker, "form[action$='/kirim/']")
        assert SubOrder.objects.get(pk=suborder.pk).status == SubOrder.Status.SHIPPED
    assert sorted(packed) == sorted(request.staff.values_list("name", "size"))

    # when the officer confirms receiving every maker's part
    office.goto(f"/instansi/penawaran/{quote.pk}/")
    for box in office.locator("input[name=suborder]").all():
        box.check()
    steps.assert_fits_width(office)
    submit(office, "form[action$='/serah-terima/']")

    # then every part is completed and the rest is invoiced to the office, which pays it
    assert set(order.suborders.values_list("status", flat=True)) == {SubOrder.Status.COMPLETED}
    rest = expected_total - down_payment
    assert order.payments.get(purpose=Payment.Purpose.INVOICE).amount == rest
    pay_by_transfer(office, admin, quote_url=quote_url, order=order, amount=rest)
    office.goto(quote_url)
    expect(office.get_by_test_id("amount-paid")).to_have_text(rupiah(expected_total))
    expect(office.get_by_test_id("payment-due")).to_have_count(0)

    # when the officer opens each invoice and kwitansi listed on the quote's page, on the phone
    # and at the office's computer to print them
    desk = signed_in(open_browser(DESKTOP), officer, url=live_server.url)
    desk.goto(quote_url)
    links = desk.get_by_test_id("quote-documents").locator("a[href*='/instansi/dokumen/']")
    expect(links.filter(has_text="/KW/")).to_have_count(2)  # the down payment's and the rest's
    documents = [(link.inner_text(), link.get_attribute("href")) for link in links.all()]
    printed = {"INV": [], "KW": []}
    for text, href in documents:
        kind = re.search(r"/(INV|KW)/", text)
        if kind is None:
            continue  # the order letter and the handover record have no amount to pay
        office.goto(href)
        steps.assert_fits_width(office)
        desk.goto(href)
        expect(desk.get_by_test_id("document-number")).to_have_text(text.split()[-1])
        steps.assert_fits_width(desk)
        printed[kind.group(1)].append(
            read_rupiah(desk.get_by_test_id("document-amount").inner_text())
        )
    assert len(printed["INV"]) == len(printed["KW"]) == 2

    # then the kwitansi add up to what the office paid, which is what the makers were credited
    # (each at their own price) plus the cooperative's margin, to the rupiah
    paid = sum(order.payments.filter(status=Payment.Status.PAID).values_list("amount", flat=True))
    entries = LedgerEntry.objects.filter(suborder__order=order)
    margin = -sum(e.amount for e in entries if e.kind in ("commission", "down_commission"))
    credited = {shop.pk: 0 for shop in shops}
    for entry in entries:
        credited[entry.shop_id] += entry.amount
    for index, shop in enumerate(shops):
        pieces = sum(line.quantity for line in order.suborders.get(shop=shop).lines.all())
        assert credited[shop.pk] == pieces * (MAKER_PRICE + index * 1_000)
    assert sum(printed["INV"]) == sum(printed["KW"]) == paid == expected_total
    assert sum(printed["KW"]) == sum(credited.values()) + margin
