"""The artisan's start page: what to do now, stock running out, sales, best sellers, balance."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from catalog.models import Product, ProductOption
from ledger import services as ledger
from orders.models import OrderLine, SubOrder

from .access import shop_member_required
from .charts import Bar, bar_chart
from .listings import LOW_STOCK

MAKASSAR = ZoneInfo("Asia/Makassar")
S = SubOrder.Status
# Sub-orders that are (or were) a sale: routed to the shop and not declined or cancelled.
NOT_SOLD = (S.DECLINED, S.CANCELLED)
LIST_SIZE = 8


def _sold(shop):
    return SubOrder.objects.filter(shop=shop, routed_at__isnull=False).exclude(status__in=NOT_SOLD)


def _month_start(day: date, months_back: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months_back
    return date(month_index // 12, month_index % 12 + 1, 1)


def _daily_bars(shop, today: date) -> list[Bar]:
    first = today - timedelta(days=29)
    since = datetime.combine(first, time.min, tzinfo=MAKASSAR)
    totals = dict(
        _sold(shop)
        .filter(order__created_at__gte=since)
        .annotate(day=TruncDate("order__created_at", tzinfo=MAKASSAR))
        .values_list("day")
        .annotate(total=Sum("subtotal"))
        .values_list("day", "total")
    )
    bars = []
    for offset in range(30):
        day = first + timedelta(days=offset)
        label = str(day.day) if offset % 5 == 4 or offset == 29 else ""
        bars.append(Bar(label, date_format(day, "j M"), totals.get(day, 0)))
    return bars


def _monthly_bars(shop, today: date) -> list[Bar]:
    first = _month_start(today, 11)
    since = datetime.combine(first, time.min, tzinfo=MAKASSAR)
    rows = (
        _sold(shop)
        .filter(order__created_at__gte=since)
        .annotate(month=TruncMonth("order__created_at", tzinfo=MAKASSAR))
        .values_list("month")
        .annotate(total=Sum("subtotal"))
        .values_list("month", "total")
    )
    totals = {
        (month.date() if isinstance(month, datetime) else month): total for month, total in rows
    }
    bars = []
    for back in range(11, -1, -1):
        month = _month_start(today, back)
        bars.append(Bar(date_format(month, "M"), date_format(month, "F Y"), totals.get(month, 0)))
    return bars


def _top_products(shop, today: date) -> list[dict]:
    since = datetime.combine(_month_start(today, 11), time.min, tzinfo=MAKASSAR)
    return list(
        OrderLine.objects.filter(
            suborder__shop=shop,
            suborder__routed_at__isnull=False,
            suborder__order__created_at__gte=since,
        )
        .exclude(suborder__status__in=NOT_SOLD)
        .values("product_id")
        .annotate(
            title=Max("product_title"),
            quantity=Sum("quantity"),
            revenue=Sum("line_total"),
        )
        .order_by("-revenue", "product_id")[:5]
    )


@shop_member_required
def dashboard_home(request, shop):
    """The artisan's start page."""
    today = timezone.localdate()
    routed = SubOrder.objects.filter(shop=shop, routed_at__isnull=False).select_related("order")
    counts = routed.aggregate(
        new=Count("pk", filter=Q(status=S.NEW)),
        to_ship=Count("pk", filter=Q(status=S.ACCEPTED)),
    )
    to_accept = list(routed.filter(status=S.NEW).order_by("routed_at", "pk")[:LIST_SIZE])
    to_ship = list(
        routed.filter(status=S.ACCEPTED).order_by("ready_by", "accepted_at", "pk")[:LIST_SIZE]
    )
    for suborder in to_ship:
        suborder.is_overdue = bool(suborder.ready_by and suborder.ready_by < today)
    due = [suborder for suborder in to_ship if suborder.ready_by]
    low_stock = list(
        ProductOption.objects.filter(
            product__shop=shop,
            product__status=Product.Status.ACTIVE,
            product__is_made_to_order=False,
            stock__lte=LOW_STOCK,
        )
        .select_related("product")
        .order_by("stock", "product__title", "pk")[:10]
    )
    daily, monthly = _daily_bars(shop, today), _monthly_bars(shop, today)
    context = {
        "shop": shop,
        "counts": counts,
        "to_accept": to_accept,
        "to_ship": to_ship,
        "due": due,
        "low_stock": low_stock,
        "low_stock_limit": LOW_STOCK,
        "daily": daily,
        "monthly": monthly,
        "daily_total": sum(bar.value for bar in daily),
        "monthly_total": sum(bar.value for bar in monthly),
        "daily_chart": bar_chart(
            chart_id="sales-30-days",
            title=_("Sales in the last 30 days"),
            description=_(
                "Goods value of orders received each day, declined and cancelled ones left out."
            ),
            bars=daily,
        ),
        "monthly_chart": bar_chart(
            chart_id="sales-12-months",
            title=_("Sales in the last 12 months"),
            description=_(
                "Goods value of orders received each month, declined and cancelled ones left out."
            ),
            bars=monthly,
        ),
        "top_products": _top_products(shop, today),
        "balance": ledger.available_balance_of(shop),
    }
    return render(request, "dashboard/home.html", context)
