"""Reads across procurement and orders: a quote's lines and totals, the makers' packing lists,
what each maker delivered, and what the institution paid (for the pages and the documents)."""

from dataclasses import dataclass, field

from django.db.models import Sum

from orders.models import Order, Payment, SubOrder

from .models import Quote, QuoteShare, Size

SIZE_ORDER = {size: index for index, size in enumerate(Size.values)}


@dataclass(frozen=True)
class PricedLine:
    """Sizes sold at one price (a size group): e.g. S–L, 100 pieces at Rp 200.000."""

    sizes: tuple[str, ...]
    quantity: int
    unit_price: int

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price

    @property
    def size_label(self) -> str:
        return self.sizes[0] if len(self.sizes) == 1 else f"{self.sizes[0]}–{self.sizes[-1]}"


@dataclass(frozen=True)
class QuoteSummary:
    """What the institution sees of a quote: its lines by size group and the total."""

    lines: list[PricedLine]
    quantity: int
    total: int


def quote_summary(quote: Quote) -> QuoteSummary:
    """The quote's lines, neighbouring sizes at the same price grouped into one line."""
    lines: list[PricedLine] = []
    for row in sorted(quote.lines.all(), key=lambda row: SIZE_ORDER[row.size]):
        if lines and lines[-1].unit_price == row.unit_price:
            last = lines.pop()
            lines.append(
                PricedLine(
                    sizes=(*last.sizes, row.size),
                    quantity=last.quantity + row.quantity,
                    unit_price=row.unit_price,
                )
            )
        else:
            lines.append(
                PricedLine(sizes=(row.size,), quantity=row.quantity, unit_price=row.unit_price)
            )
    return QuoteSummary(
        lines=lines,
        quantity=sum(line.quantity for line in lines),
        total=sum(line.total for line in lines),
    )


@dataclass(frozen=True)
class MakerPart:
    """For the cooperative only: one maker's part of a quote, its cost and the margin on it."""

    shop_name: str
    district: str
    quantity: int
    cost: int
    price: int

    @property
    def margin(self) -> int:
        return self.price - self.cost


def maker_parts(quote: Quote) -> list[MakerPart]:
    """Each maker's pieces, what the cooperative pays them and what it charges for them."""
    prices = {line.size: line.unit_price for line in quote.lines.all()}
    by_shop: dict[int, list[QuoteShare]] = {}
    for share in quote.shares.select_related("shop").order_by("shop_id", "pk"):
        by_shop.setdefault(share.shop_id, []).append(share)
    return [
        MakerPart(
            shop_name=shares[0].shop.name,
            district=shares[0].shop.get_district_display(),
            quantity=sum(share.quantity for share in shares),
            cost=sum(share.quantity * share.maker_price for share in shares),
            price=sum(share.quantity * prices[share.size] for share in shares),
        )
        for shares in by_shop.values()
    ]


@dataclass(frozen=True)
class PackingRow:
    """One piece to pack: for whom (from the staff list), their unit, and the size."""

    number: int
    size: str
    name: str = ""
    unit: str = ""


@dataclass
class PackingList:
    """One maker's pieces: by person when the request came with a staff list, else by size."""

    shop_id: int
    shop_name: str
    rows: list[PackingRow] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)

    @property
    def quantity(self) -> int:
        return sum(self.sizes.values())


def packing_lists(quote: Quote) -> dict[int, PackingList]:
    """Each maker's packing list, by shop id.

    The staff of each size are dealt out in the list's order to the makers of that size, in the
    order of their shares (by shop), so the same quote always gives the same lists.
    """
    lists: dict[int, PackingList] = {}
    shares = sorted(
        quote.shares.select_related("shop").order_by("shop_id", "pk"),
        key=lambda share: (SIZE_ORDER[share.size], share.shop_id),
    )
    staff_by_size: dict[str, list] = {}
    for person in quote.request.staff.order_by("row"):
        staff_by_size.setdefault(person.size, []).append(person)
    for share in shares:
        packing = lists.setdefault(
            share.shop_id, PackingList(shop_id=share.shop_id, shop_name=share.shop.name)
        )
        packing.sizes[share.size] = packing.sizes.get(share.size, 0) + share.quantity
        people = staff_by_size.get(share.size, [])
        taken, staff_by_size[share.size] = people[: share.quantity], people[share.quantity :]
        packing.rows.extend(
            PackingRow(number=0, size=share.size, name=person.name, unit=person.unit)
            for person in taken
        )
    for packing in lists.values():
        packing.rows = [
            PackingRow(number=index, size=row.size, name=row.name, unit=row.unit)
            for index, row in enumerate(packing.rows, start=1)
        ]
    return dict(sorted(lists.items(), key=lambda item: item[1].shop_name))


@dataclass(frozen=True)
class DeliveredPart:
    """What one maker handed over (for the handover record): the lines, and when."""

    suborder: SubOrder
    lines: list
    quantity: int
    confirmed_at: object


def delivered_parts(order: Order) -> list[DeliveredPart]:
    """Each maker's part that the institution confirmed receiving, with its lines."""
    suborders = (
        order.suborders.filter(handover__isnull=False)
        .select_related("handover")
        .prefetch_related("lines")
        .order_by("shop_name", "pk")
    )
    return [
        DeliveredPart(
            suborder=suborder,
            lines=list(suborder.lines.all()),
            quantity=sum(line.quantity for line in suborder.lines.all()),
            confirmed_at=suborder.handover.confirmed_at,
        )
        for suborder in suborders
    ]


@dataclass(frozen=True)
class AmountsPaid:
    """What the institution was asked and has paid on its order, in rupiah."""

    total: int
    down_payment_paid: int
    invoice_paid: int

    @property
    def paid(self) -> int:
        return self.down_payment_paid + self.invoice_paid

    @property
    def outstanding(self) -> int:
        return self.total - self.paid


def amounts_paid(order: Order) -> AmountsPaid:
    """The order's total and its down payment and invoice paid so far."""
    paid = order.payments.filter(status=Payment.Status.PAID)

    def of(purpose: str) -> int:
        return paid.filter(purpose=purpose).aggregate(total=Sum("amount"))["total"] or 0

    return AmountsPaid(
        total=order.total,
        down_payment_paid=of(Payment.Purpose.DOWN_PAYMENT),
        invoice_paid=of(Payment.Purpose.INVOICE),
    )
