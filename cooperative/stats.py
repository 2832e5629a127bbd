"""Figures for the cooperative's office, each section in one query whatever the data size.

"Sales" are orders with money received (`paid_at` set), dated by when it was received, in
Asia/Makassar time. District and maker amounts are the goods sold (sub-order subtotals, before
commission, without shipping), leaving out sub-orders the maker declined or that were cancelled.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from artisans.models import District, Shop
from catalog.models import Product
from orders.models import Order, OrderLine, SubOrder

TOP_MOTIFS = 5
_NOT_SOLD = [SubOrder.Status.DECLINED, SubOrder.Status.CANCELLED]
_DISTRICTS = dict(District.choices)


def local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def month_range(today: date | None = None) -> tuple[date, date]:
    """The first and last day of the month `today` (local) falls in."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return first, next_month - timedelta(days=1)


def _paid_between(prefix: str, start: date, end: date) -> Q:
    """Money received from the start of `start` to the end of `end` (local days, inclusive)."""
    return Q(
        **{
            f"{prefix}paid_at__gte": local_day_start(start),
            f"{prefix}paid_at__lt": local_day_start(end + timedelta(days=1)),
        }
    )


def institutional_q(prefix: str = "") -> Q:
    """Orders placed with an email at an institutional domain (or one of its subdomains)."""
    condition = Q(pk__in=[])
    for domain in settings.INSTITUTIONAL_EMAIL_DOMAINS:
        domain = domain.lower().lstrip("@")
        condition |= Q(**{f"{prefix}email__iendswith": f"@{domain}"})
        condition |= Q(**{f"{prefix}email__iendswith": f".{domain}"})
    return condition


@dataclass
class MonthFigures:
    first_day: date
    last_day: date
    sales_total: int
    paid_orders: int
    orders_by_status: list[tuple[str, int]]
    makers_by_district: list[tuple[str, int]]
    top_motifs: list[tuple[str, int]] = field(default_factory=list)


def month_figures(today: date | None = None) -> MonthFigures:
    """Sales this month, orders by status, active makers per district, top motifs: 4 queries."""
    first, last = month_range(today)
    sales = Order.objects.filter(_paid_between("", first, last)).aggregate(
        total=Coalesce(Sum("total"), 0), count=Count("pk")
    )
    statuses = dict(Order.Status.choices)
    by_status = [
        (statuses.get(row["status"], row["status"]), row["count"])
        for row in Order.objects.order_by("status").values("status").annotate(count=Count("pk"))
    ]
    on_sale = Product.objects.published().filter(shop=OuterRef("pk"))
    makers = (
        Shop.objects.approved()
        .filter(Exists(on_sale))
        .order_by("district")
        .values("district")
        .annotate(count=Count("pk"))
    )
    motifs = (
        OrderLine.objects.filter(_paid_between("suborder__order__", first, last))
        .exclude(suborder__status__in=_NOT_SOLD)
        .filter(product__motifs__isnull=False)
        .values("product__motifs__name")
        .annotate(sold=Sum("quantity"))
        .order_by("-sold", "product__motifs__name")[:TOP_MOTIFS]
    )
    return MonthFigures(
        first_day=first,
        last_day=last,
        sales_total=sales["total"],
        paid_orders=sales["count"],
        orders_by_status=by_status,
        makers_by_district=[
            (_DISTRICTS.get(r["district"], r["district"]), r["count"]) for r in makers
        ],
        top_motifs=[(row["product__motifs__name"], row["sold"]) for row in motifs],
    )


@dataclass
class DistrictRow:
    district: str
    makers: int
    orders: int
    sales: int


@dataclass
class MakerRow:
    shop: str
    district: str
    orders: int
    sales: int


@dataclass
class ImpactReport:
    start: date
    end: date
    districts: list[DistrictRow]
    makers: list[MakerRow]
    institutional_orders: int
    institutional_total: int
    public_orders: int
    public_total: int

    @property
    def goods_total(self) -> int:
        return sum(row.sales for row in self.districts)

    @property
    def orders_total(self) -> int:
        return self.institutional_total + self.public_total


def impact_report(*, start: date, end: date) -> ImpactReport:
    """Sales by district, makers who earned, institutional vs public orders: 3 queries."""
    sold = SubOrder.objects.filter(_paid_between("order__", start, end)).exclude(
        status__in=_NOT_SOLD
    )
    districts = (
        sold.order_by()
        .values("shop__district")
        .annotate(
            sales=Sum("subtotal"),
            makers=Count("shop", distinct=True),
            orders=Count("order", distinct=True),
        )
        .order_by("-sales", "shop__district")
    )
    makers = (
        sold.order_by()
        .values("shop_id", "shop__name", "shop__district")
        .annotate(sales=Sum("subtotal"), orders=Count("order", distinct=True))
        .filter(sales__gt=0)
        .order_by("-sales", "shop__name")
    )
    institutional = institutional_q()
    orders = Order.objects.filter(_paid_between("", start, end)).aggregate(
        institutional_orders=Count("pk", filter=institutional),
        institutional_total=Coalesce(Sum("total", filter=institutional), 0),
        public_orders=Count("pk", filter=~institutional),
        public_total=Coalesce(Sum("total", filter=~institutional), 0),
    )
    return ImpactReport(
        start=start,
        end=end,
        districts=[
            DistrictRow(
                district=_DISTRICTS.get(row["shop__district"], row["shop__district"]),
                makers=row["makers"],
                orders=row["orders"],
                sales=row["sales"],
            )
            for row in districts
        ],
        makers=[
            MakerRow(
                shop=row["shop__name"],
                district=_DISTRICTS.get(row["shop__district"], row["shop__district"]),
                orders=row["orders"],
                sales=row["sales"],
            )
            for row in makers
        ],
        **orders,
    )
