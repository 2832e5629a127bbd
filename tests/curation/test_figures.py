"""Admin home figures and the printable impact report, exact to the rupiah for a seeded period."""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import timezone

from artisans.models import District, Shop
from cooperative.stats import impact_report, month_figures
from orders.models import Order, SubOrder
from tests.curation.factories import paid_order
from tests.factories import make_product, make_shop

pytestmark = pytest.mark.django_db


def at(*parts) -> datetime:
    return timezone.make_aware(datetime(*parts))


@pytest.fixture
def march():
    """Three makers in three districts and orders paid around March 2026 (Asia/Makassar)."""
    sangatta = make_shop(name="Batik Paku Sangatta", district=District.SANGATTA_UTARA)
    rantau = make_shop(name="Singkong Rantau", district=District.RANTAU_PULUNG)
    bengalon = make_shop(name="Sawit Bengalon", district=District.BENGALON)
    paku = make_product(shop=sangatta, price=200_000, motif="paku", stock=50)
    singkong = make_product(shop=rantau, price=300_000, motif="daun-singkong", stock=50)
    sawit = make_product(shop=bengalon, price=500_000, motif="sawit", stock=50)
    orders = {
        "public": paid_order(
            [(paku, 2), (singkong, 1)], email="budi@gmail.com", paid_at=at(2026, 3, 5, 10)
        ),
        "office": paid_order(
            [(paku, 3)], email="umum@diskop.kutaitimurkab.go.id", paid_at=at(2026, 3, 31, 23, 30)
        ),
        "declined": paid_order([(singkong, 1)], email="ani@yahoo.co.id", paid_at=at(2026, 3, 6)),
        "april": paid_order(
            [(sawit, 1)], email="x@kutaitimurkab.go.id", paid_at=at(2026, 4, 1, 0, 10)
        ),
        "february": paid_order([(sawit, 1)], email="y@gmail.com", paid_at=at(2026, 2, 28, 23, 59)),
    }
    SubOrder.objects.filter(order=orders["declined"]).update(status=SubOrder.Status.DECLINED)
    return orders


def test_the_impact_report_is_exact_for_the_period(march, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        report = impact_report(start=date(2026, 3, 1), end=date(2026, 3, 31))

    assert [(r.district, r.makers, r.orders, r.sales) for r in report.districts] == [
        ("Sangatta Utara", 1, 2, 1_000_000),
        ("Rantau Pulung", 1, 1, 300_000),
    ]
    assert [(r.shop, r.district, r.sales) for r in report.makers] == [
        ("Batik Paku Sangatta", "Sangatta Utara", 1_000_000),
        ("Singkong Rantau", "Rantau Pulung", 300_000),
    ]
    assert report.goods_total == 1_300_000
    # an office's email address no longer makes an order institutional: only an accepted quote
    assert (report.institutional_orders, report.institutional_total) == (0, 0)
    assert report.institutional_makers == [] and report.institutional_districts == []
    assert (report.public_orders, report.public_total) == (
        3,
        march["public"].total + march["declined"].total + march["office"].total,
    )
    assert march["office"].total == 600_000 + march["office"].shipping_total


@pytest.fixture
def institution_order():
    """An institution's accepted quote for 120 shirts from three makers in two districts, its
    down payment received on 15 March 2026 (Asia/Makassar)."""
    from orders.payments.transfer import confirm_transfer
    from procurement import quotes
    from tests.procurement.test_quotes import ADDRESS, _quote, _split_request

    _institution, officer, request, offers = _split_request()
    for offer, (name, district) in zip(
        offers,
        [
            ("Batik Paku Sangatta", District.SANGATTA_UTARA),
            ("Singkong Rantau", District.RANTAU_PULUNG),
            ("Wakaroros Rantau", District.RANTAU_PULUNG),
        ],
        strict=True,
    ):
        Shop.objects.filter(pk=offer.shop_id).update(name=name, district=district)
    quote = quotes.accept_quote(
        quote=_quote(request, percent=30), by=officer, payment_method="bank_transfer",
        address=ADDRESS,
    )  # fmt: skip
    order = quote.order
    confirm_transfer(payment=order.payments.get(purpose="down_payment"), by=None)
    Order.objects.filter(pk=order.pk).update(paid_at=at(2026, 3, 15, 9))
    return quote


def test_the_report_counts_institution_orders_and_spreads_their_work(
    institution_order, march, django_assert_max_num_queries
):
    quote = institution_order
    prices = {line.size: line.unit_price for line in quote.lines.all()}
    expected = {}  # shop name -> [pieces, sold, makers' share]
    for share in quote.shares.select_related("shop"):
        row = expected.setdefault(share.shop.name, [0, 0, 0])
        row[0] += share.quantity
        row[1] += share.quantity * prices[share.size]
        row[2] += share.quantity * share.maker_price

    with django_assert_max_num_queries(4):
        report = impact_report(start=date(2026, 3, 1), end=date(2026, 3, 31))

    # the accepted quote's order is the one institutional order, the rest are public
    assert (report.institutional_orders, report.institutional_total) == (1, quote.order.total)
    assert quote.order.total == 100 * 330_000 + 20 * 345_000
    assert report.public_orders == 3
    # its work, per maker: pieces, what the institution paid for them, what the maker earns
    assert {
        row.name: [row.pieces, row.sales, row.makers_share] for row in report.institutional_makers
    } == expected
    assert sum(row.pieces for row in report.institutional_makers) == 120
    # and per district
    rantau = [expected["Singkong Rantau"], expected["Wakaroros Rantau"]]
    by_district = {
        row.district: (row.makers, row.pieces, row.sales, row.makers_share)
        for row in report.institutional_districts
    }
    assert by_district == {
        "Sangatta Utara": (1, *expected["Batik Paku Sangatta"]),
        "Rantau Pulung": (2, *[a + b for a, b in zip(*rantau, strict=True)]),
    }


def test_the_report_page_shows_the_institutions_work_by_maker_and_district(
    admin_client, institution_order
):
    from core.templatetags.money import format_rupiah

    response = admin_client.get("/en/admin/laporan-dampak/?start=2026-03-01&end=2026-03-31")
    html = response.content.decode()
    work = html.split('data-testid="institution-makers"')[1].split("</table>")[0]
    districts = html.split('data-testid="institution-districts"')[1].split("</table>")[0]
    assert "Singkong Rantau" in work and "Batik Paku Sangatta" in work
    assert "Rantau Pulung" in districts and "Sangatta Utara" in districts
    assert format_rupiah(institution_order.order.total) in html
    assert "accepted" in html  # says where institutional orders come from


def test_the_report_page_is_for_staff_and_prints(admin_client, march):
    response = admin_client.get("/en/admin/laporan-dampak/?start=2026-03-01&end=2026-03-31")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Rp 1.000.000" in html and "Rp 300.000" in html
    assert "Sawit Bengalon" not in html
    assert "cooperative/admin.css" in html
    assert (
        admin_client.get("/en/admin/laporan-dampak/?start=2026-04-01&end=2026-03-01").status_code
        == 200
    )


def test_the_report_css_prints_on_a4():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("cooperative/admin.css")).read_text()
    assert "@media print" in css and "size: A4" in css


def test_the_report_page_refuses_non_staff(client):
    from tests.factories import make_user

    client.force_login(make_user())
    response = client.get("/en/admin/laporan-dampak/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(make_user(is_staff=True))
    assert client.get("/en/admin/laporan-dampak/").status_code == 403


def test_month_figures(march, django_assert_max_num_queries):
    make_shop(district=District.KONGBENG)  # approved, nothing on sale: not active
    with django_assert_max_num_queries(4):
        figures = month_figures(date(2026, 3, 15))

    assert figures.sales_total == sum(march[k].total for k in ("public", "office", "declined"))
    assert figures.paid_orders == 3
    assert [(str(label), n) for label, n in figures.orders_by_status] == [
        (str(Order.Status.CONFIRMED.label), 5)
    ]
    assert dict(figures.makers_by_district) == {
        "Bengalon": 1,
        "Rantau Pulung": 1,
        "Sangatta Utara": 1,
    }
    assert figures.top_motifs == [("Paku", 5), ("Daun Singkong", 1)]


def test_the_admin_home_shows_the_figures(admin_client, django_assert_max_num_queries, march):
    Order.objects.filter(pk=march["public"].pk).update(paid_at=timezone.now())
    response = admin_client.get("/en/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sales this month" in html and "Top motifs this month" in html
    assert "Koperasi Pembatik Kutai Timur" in html
    from core.templatetags.money import format_rupiah

    assert format_rupiah(march["public"].total) in html
