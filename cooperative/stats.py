"""Figures for the cooperative's office, each section in one query whatever the data size.

"Sales" are orders with money received (`paid_at` set), dated by when it was received, in
Asia/Makassar time. District and maker amounts are the goods sold (sub-order subtotals, before
commission, without shipping), leaving out sub-orders the maker declined or that were cancelled.
Institutional orders are the orders placed from a quote an institution accepted.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from artisans.models import District, Shop
from catalog.models import Product
from orders.models import Order, OrderLine, SubOrder
from procurement.models import Quote

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


def institutional_q(order: str = "pk") -> Q:
    """Orders placed from an institution's accepted quote (`order` names the order's id)."""
    return Q(Exists(Quote.objects.filter(order=OuterRef(order))))


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
class WorkRow:
    """One maker's (or district's) part of the institutions' orders: pieces and rupiah."""

    name: str
    district: str
    makers: int
    pieces: int
    sales: int
    makers_share: int


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
    institutional_makers: list[WorkRow] = field(default_factory=list)
    institutional_districts: list[WorkRow] = field(default_factory=list)

    @property
    def goods_total(self) -> int:
        return sum(row.sales for row in self.districts)

    @property
    def orders_total(self) -> int:
        return self.institutional_total + self.public_total


def impact_report(*, start: date, end: date) -> ImpactReport:
    """Sales by district, makers who earned, institutional vs public orders, and how the
    institutions' work was spread across makers and districts: 4 queries."""
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
    pieces = (
        OrderLine.objects.filter(suborder=OuterRef("pk"))
        .order_by()
        .values("suborder")
        .annotate(pieces=Sum("quantity"))
        .values("pieces")
    )
    work = (
        sold.filter(institutional_q("order"))
        .annotate(pieces=Subquery(pieces))
        .order_by()
        .values("shop_id", "shop__name", "shop__district")
        .annotate(
            total_pieces=Coalesce(Sum("pieces"), 0),
            sales=Sum("subtotal"),
            makers_share=Sum(F("subtotal") - Coalesce("agreed_commission", 0)),
        )
        .order_by("-total_pieces", "shop__name")
    )
    work_makers = [
        WorkRow(
            name=row["shop__name"],
            district=_DISTRICTS.get(row["shop__district"], row["shop__district"]),
            makers=1,
            pieces=row["total_pieces"],
            sales=row["sales"],
            makers_share=row["makers_share"],
        )
        for row in work
    ]
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
        institutional_makers=work_makers,
        institutional_districts=_by_district(work_makers),
        **orders,
    )


def _by_district(rows: list[WorkRow]) -> list[WorkRow]:
    """The makers' rows added up per district, most pieces first."""
    districts: dict[str, WorkRow] = {}
    for row in rows:
        total = districts.setdefault(
            row.district,
            WorkRow(name=row.district, district=row.district, makers=0, pieces=0, sales=0,
                    makers_share=0),
        )  # fmt: skip
        total.makers += 1
        total.pieces += row.pieces
        total.sales += row.sales
        total.makers_share += row.makers_share
    return sorted(districts.values(), key=lambda row: (-row.pieces, row.district))
