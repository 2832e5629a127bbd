"""Ready dates of made-to-order work from a shop's weekly capacity and the work it has taken."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from catalog.models import ProductType, ShopTypeCapacity
from orders import capacity, lifecycle, placement, routing
from orders.models import PaymentMethod, SubOrder
from orders.notices import tracking_token
from orders.payments.common import mark_order_paid
from tests.factories import ADDRESS, make_product, make_shop, make_user

pytestmark = pytest.mark.django_db

S = SubOrder.Status
MONDAY = date(2026, 11, 30)


def _made_to_order(shop, *, lead_time_days=1, **extra):
    return make_product(shop=shop, is_made_to_order=True, lead_time_days=lead_time_days, **extra)


def _order(product, quantity: int) -> SubOrder:
    """A paid order for `quantity` of `product`, routed to its shop (status new)."""
    order = placement.place_order(
        buyer=None,
        email="tamu@example.com",
        quantities={product.options.get().pk: quantity},
        address=dict(ADDRESS),
        payment_method=PaymentMethod.BANK_TRANSFER,
    )
    mark_order_paid(order=order, payment=order.payments.get())
    routing.route_order(order=order)
    return order.suborders.get()


def _accepted(product, quantity: int) -> SubOrder:
    suborder = _order(product, quantity)
    return lifecycle.transition_suborder(
        suborder=suborder,
        to=S.ACCEPTED,
        by=product.shop.owner,
        as_role="artisan",
        ready_by=timezone.localdate() + timedelta(days=60),
    )


def _ready(client, product, quantity: int):
    url = reverse("orders:ready-date")
    return client.get(url, {"option": product.options.get().pk, "quantity": quantity})


def _ready_date(client, product, quantity: int) -> date:
    response = _ready(client, product, quantity)
    assert response.status_code == 200
    return date.fromisoformat(response.json()["ready_by"])


def _week_of(day: date) -> int:
    """1 for the seven days from tomorrow, 2 for the next seven, and so on."""
    return -(-(day - timezone.localdate()).days // 7)


def test_capacity_two_a_week_with_five_pieces_accepted_puts_a_new_order_in_week_four(client):
    """Issue 14: "with capacity 2 a week and 5 pieces already accepted, a new order's date is in
    week 4" (a week: the seven days from tomorrow, when work starts)."""
    shop = make_shop(weekly_capacity=2)
    kain = _made_to_order(shop)
    for quantity in (2, 2, 1):
        _accepted(kain, quantity)

    # The five pieces fill weeks 1 to 3 (week 3's second place is not promised to a newcomer):
    # a new order of one piece or of two is made in week 4; of three, it spills into week 5.
    assert [_week_of(_ready_date(client, kain, quantity)) for quantity in (1, 2, 3)] == [4, 4, 5]
    # The accept form proposes the product page's date.
    shown = _ready_date(client, kain, 1)
    assert capacity.proposed_ready_date(suborder=_order(kain, 1)) == shown


def test_the_product_page_date_reads_siap_sekitar_in_indonesian(client):
    shop = make_shop(weekly_capacity=7)
    kain = _made_to_order(shop)
    response = client.get(
        "/pesanan/siap/",
        {"option": kain.options.get().pk, "quantity": 1},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    ready_by = date.fromisoformat(response.json()["ready_by"])
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
    expected = f"siap sekitar {ready_by.day} {months[ready_by.month - 1]} {ready_by.year}"
    assert expected in response.json()["label"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_days_off_are_skipped():
    friday_and_sunday = frozenset({5, 7})
    # Five pieces a week on five working days: one a day, from Tuesday.
    days = [
        capacity.queue_date(
            pieces_ahead=0, quantity=quantity, weekly_capacity=5,
            days_off=friday_and_sunday, today=MONDAY,
        )
        for quantity in (4, 5)
    ]  # fmt: skip
    # Tue 1, Wed 2, Thu 3, (Friday off) Sat 5 Dec is the 4th piece; (Sunday off) Mon 7 Dec the 5th.
    assert days == [date(2026, 12, 5), date(2026, 12, 7)]


def test_work_ahead_fills_whole_weeks_of_working_days():
    friday_and_sunday = frozenset({5, 7})
    # Three pieces ahead at five a week take the first working week (Tue 1 to Mon 7 Dec); a new
    # piece is the first of the next one.
    assert capacity.queue_date(
        pieces_ahead=3, quantity=1, weekly_capacity=5, days_off=friday_and_sunday, today=MONDAY
    ) == date(2026, 12, 8)


def test_a_shop_with_days_off_never_gets_a_ready_date_on_them(client):
    shop = make_shop(weekly_capacity=3, days_off="57")
    kain = _made_to_order(shop, lead_time_days=4)
    for quantity in range(1, 12):
        assert _ready_date(client, kain, quantity).isoweekday() not in (5, 7)


def test_a_quantity_beyond_a_weeks_capacity_spans_weeks_and_is_never_refused(client):
    shop = make_shop(weekly_capacity=3)
    kain = _made_to_order(shop)
    today = timezone.localdate()
    assert _ready_date(client, kain, 3) == today + timedelta(days=7)
    assert _ready_date(client, kain, 9) == today + timedelta(days=21)
    assert _ready_date(client, kain, 10) > today + timedelta(days=21)
    assert _ready(client, kain, 1000).status_code == 200


def test_the_products_lead_time_is_the_earliest_date(client):
    shop = make_shop(weekly_capacity=20)
    kain = _made_to_order(shop, lead_time_days=14)
    assert _ready_date(client, kain, 1) == timezone.localdate() + timedelta(days=14)


def test_a_shop_without_a_stated_capacity_keeps_the_lead_time(client):
    kain = _made_to_order(make_shop(), lead_time_days=10)
    _accepted(kain, 5)
    assert _ready_date(client, kain, 5) == timezone.localdate() + timedelta(days=10)


def _move(suborder, to, **given):
    return lifecycle.transition_suborder(
        suborder=suborder, to=to, by=suborder.shop.owner, as_role="artisan", **given
    )


def test_started_work_stays_in_the_queue_and_ready_shipped_declined_cancelled_work_frees_it(
    client,
):
    shop = make_shop(weekly_capacity=2, down_payment_percent=0)
    kain = _made_to_order(shop)
    shipped, ready = _accepted(kain, 2), _accepted(kain, 2)
    declined, cancelled = _order(kain, 2), _order(kain, 2)
    _move(_accepted(kain, 2), S.IN_PROGRESS)  # started: stays in the queue
    today = timezone.localdate()
    assert _ready_date(client, kain, 2) == today + timedelta(days=42)  # pieces 11 and 12

    _move(shipped, S.SHIPPED, courier="JNE", tracking_number="JNE0001")
    assert _ready_date(client, kain, 2) == today + timedelta(days=35)
    _move(_move(ready, S.IN_PROGRESS), S.READY)
    assert _ready_date(client, kain, 2) == today + timedelta(days=28)
    _move(declined, S.DECLINED, reason="Kain habis")
    assert _ready_date(client, kain, 2) == today + timedelta(days=21)
    lifecycle.transition_suborder(suborder=cancelled, to=S.CANCELLED, by=None, as_role="system")
    assert _ready_date(client, kain, 2) == today + timedelta(days=14)


def test_the_accept_form_proposes_the_product_pages_date_and_saving_it_is_what_the_buyer_sees(
    client,
):
    shop = make_shop(weekly_capacity=2, days_off="7")
    kain = _made_to_order(shop)
    _accepted(kain, 3)
    _order(kain, 1)  # new, not yet accepted, ahead in the queue too
    shown = _ready_date(client, kain, 3)

    suborder = _order(kain, 3)
    _order(kain, 4)  # came later: not ahead of this one
    client.force_login(shop.owner)
    page = client.get(reverse("dashboard:order-detail", args=[suborder.pk]))
    proposed = page.context["accept_form"]["ready_by"].value()
    assert proposed == shown
    assert shown.isoformat().encode() in page.content

    client.post(reverse("dashboard:order-accept", args=[suborder.pk]), {"ready_by": proposed})
    suborder.refresh_from_db()
    assert suborder.status == S.ACCEPTED and suborder.ready_by == shown


def test_the_maker_can_override_the_proposed_date(client):
    shop = make_shop(weekly_capacity=2)
    kain = _made_to_order(shop)
    suborder = _order(kain, 1)
    client.force_login(shop.owner)
    later = capacity.proposed_ready_date(suborder=suborder) + timedelta(days=9)
    response = client.post(
        reverse("dashboard:order-accept", args=[suborder.pk]), {"ready_by": later.isoformat()}
    )
    assert response.status_code == 302
    suborder.refresh_from_db()
    assert suborder.ready_by == later
    client.logout()
    buyer_page = client.get(reverse("orders:track", args=[tracking_token(suborder.order)]))
    assert date_format(later, "j M Y").encode() in buyer_page.content


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"option": "abc", "quantity": "1"},
        {"option": "1", "quantity": "0"},
        {"option": "1", "quantity": "-3"},
        {"option": "1", "quantity": "1001"},
        {"option": "1", "quantity": "2.5"},
    ],
)
def test_the_ready_date_endpoint_refuses_bad_questions(client, query):
    assert client.get(reverse("orders:ready-date"), query).status_code == 400


def test_the_ready_date_endpoint_knows_only_published_made_to_order_options(client):
    shop = make_shop(weekly_capacity=2)
    ready_made = make_product(shop=shop)
    draft = _made_to_order(shop, status="draft")
    pending_shop = _made_to_order(make_shop(status="pending", weekly_capacity=2))
    url = reverse("orders:ready-date")
    assert client.get(url, {"option": 999_999, "quantity": 1}).status_code == 404
    for product in (ready_made, draft, pending_shop):
        assert _ready(client, product, 1).status_code == 404


def test_a_product_type_with_its_own_capacity_queues_on_its_own(client):
    shop = make_shop(weekly_capacity=1)
    kain = _made_to_order(shop)
    selendang_type = ProductType.objects.create(slug="selendang", name="Selendang")
    selendang = _made_to_order(shop, product_type=selendang_type)
    ShopTypeCapacity.objects.create(shop=shop, product_type=selendang_type, weekly_capacity=7)
    _accepted(kain, 3)
    _accepted(selendang, 7)
    today = timezone.localdate()
    # Kain: 3 ahead at 1 a week; the 7 selendang do not wait in the kain queue.
    assert _ready_date(client, kain, 1) == today + timedelta(days=28)
    # Selendang: 7 ahead at 7 a week; the kain do not count.
    assert _ready_date(client, selendang, 7) == today + timedelta(days=14)


def test_the_product_page_asks_for_the_date_only_for_made_to_order_work(client):
    shop = make_shop(weekly_capacity=2)
    made = client.get(_made_to_order(shop, lead_time_days=12).get_absolute_url())
    assert b"data-ready-url=" in made.content
    assert b"sekitar 12 hari" in made.content  # the text the script replaces
    ready_made = client.get(make_product(shop=shop).get_absolute_url())
    assert b"data-ready-url=" not in ready_made.content


def test_the_work_queue_shows_late_due_this_week_and_later(client):
    shop = make_shop(weekly_capacity=2)
    kain = _made_to_order(shop)
    today = timezone.localdate()
    late, due, later = _accepted(kain, 1), _accepted(kain, 1), _accepted(kain, 1)
    _move(later, S.IN_PROGRESS)  # work started is still in work
    sunday = today + timedelta(days=7 - today.isoweekday())
    SubOrder.objects.filter(pk=late.pk).update(ready_by=today - timedelta(days=1))
    SubOrder.objects.filter(pk=due.pk).update(ready_by=sunday)
    SubOrder.objects.filter(pk=later.pk).update(ready_by=sunday + timedelta(days=1))
    _order(kain, 2)  # waiting to be accepted: counted in the queue, not in work

    client.force_login(shop.owner)
    response = client.get(reverse("dashboard:order-queue"))
    queue = response.context["queue"]
    assert [s.pk for s in queue.late] == [late.pk]
    assert [s.pk for s in queue.due_this_week] == [due.pk]
    assert [s.pk for s in queue.later] == [later.pk]
    assert (queue.in_work, queue.pieces_in_queue, queue.pieces_to_accept) == (3, 5, 2)
    assert response.content.count(b'data-testid="queue-late"') == 1


def test_the_work_queue_is_only_for_the_shops_members(client):
    shop = make_shop(weekly_capacity=2)
    _accepted(_made_to_order(shop), 1)
    url = reverse("dashboard:order-queue")
    assert client.get(url).status_code == 302  # signed out: to the login page
    client.force_login(make_user())
    assert client.get(url)["Location"] == reverse("shop-apply")
    other = make_shop()
    client.force_login(other.owner)
    assert client.get(url).context["queue"].in_work == 0
    client.force_login(shop.owner)
    assert client.get(url).context["queue"].in_work == 1


def test_the_order_list_sums_up_the_queue(client):
    shop = make_shop(weekly_capacity=2)
    kain = _made_to_order(shop)
    late = _accepted(kain, 1)
    _accepted(kain, 1)
    SubOrder.objects.filter(pk=late.pk).update(ready_by=timezone.localdate() - timedelta(days=2))
    client.force_login(shop.owner)
    page = client.get("/dasbor/pesanan/").content.decode()
    assert "1 terlambat" in page and "2 sedang dikerjakan" in page
