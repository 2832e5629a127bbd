"""Ready dates for made-to-order work, from a shop's weekly capacity and the work it has taken.

A simple queue: the open made-to-order lines of a shop (routed sub-orders that are new, accepted
or in progress: not yet ready, shipped, cancelled or declined) are made in the order they came, at the shop's
pieces per week, on its working days. A new line waits behind whole weeks of them; a big quantity gives a
later date, never a refusal. A product type with its own capacity (catalog's `ShopTypeCapacity`)
queues on its own bench; the other types share the shop-wide figure. A shop that states no
capacity keeps the product's lead time, as before; the lead time is also the earliest date.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from artisans.models import Shop
from catalog.models import ProductOption, ShopTypeCapacity

from .models import OrderLine, SubOrder

# Work still to be made: new, accepted, or started. A piece marked ready is made (it waits for the
# rest of its price or for shipping), so it no longer takes the shop's time.
IN_WORK_STATUSES = (SubOrder.Status.ACCEPTED, SubOrder.Status.IN_PROGRESS)
OPEN_STATUSES = (SubOrder.Status.NEW, *IN_WORK_STATUSES)
DAYS_IN_WEEK = 7


@dataclass(frozen=True)
class Bench:
    """One queue of a shop's made-to-order work: its pieces per week and the lines it takes."""

    weekly_capacity: int | None
    lines: Q


def next_working_day(day: date, days_off: frozenset[int]) -> date:
    """`day` itself when the workshop works that day, else the first working day after it."""
    if len(days_off) >= DAYS_IN_WEEK:
        raise ValueError("A workshop needs at least one working day a week.")
    while day.isoweekday() in days_off:
        day += timedelta(days=1)
    return day


def nth_working_day(after: date, count: int, days_off: frozenset[int]) -> date:
    """The `count`-th working day after `after` (which is not counted); `after` when count is 0."""
    if len(days_off) >= DAYS_IN_WEEK:
        raise ValueError("A workshop needs at least one working day a week.")
    day = after
    while count > 0:
        day += timedelta(days=1)
        if day.isoweekday() not in days_off:
            count -= 1
    return day


def queue_date(
    *,
    pieces_ahead: int,
    quantity: int,
    weekly_capacity: int,
    days_off: frozenset[int],
    today: date,
) -> date:
    """The working day the last of `quantity` pieces is done, behind `pieces_ahead` pieces.

    Work starts the next working day. The work already taken fills whole weeks (a week's last
    free place is not promised to a newcomer), so a new order starts in the week after it; its
    own pieces then take the week's capacity spread over the working days: the n-th is done on
    working day ceil(n × working days a week / capacity) of its weeks.
    """
    working_days_a_week = DAYS_IN_WEEK - len(days_off)
    weeks_ahead = -(-pieces_ahead // weekly_capacity)
    own_days = -(-quantity * working_days_a_week // weekly_capacity)
    working_days = weeks_ahead * working_days_a_week + own_days
    return nth_working_day(today, working_days, days_off)


def bench_for(shop: Shop, product_type_id: int | None) -> Bench:
    """The queue a product type's work joins at `shop`."""
    own = dict(
        ShopTypeCapacity.objects.filter(shop=shop).values_list("product_type_id", "weekly_capacity")
    )
    if product_type_id in own:
        return Bench(own[product_type_id], Q(product__product_type_id=product_type_id))
    if not own:
        return Bench(shop.weekly_capacity, Q())
    # Lines whose product is gone stay on the shop-wide bench.
    return Bench(
        shop.weekly_capacity,
        Q(product__isnull=True) | ~Q(product__product_type_id__in=list(own)),
    )


def open_lines(shop: Shop):
    """The shop's made-to-order lines still to be made."""
    return OrderLine.objects.filter(
        is_made_to_order=True,
        suborder__shop=shop,
        suborder__status__in=OPEN_STATUSES,
        suborder__routed_at__isnull=False,
    )


def _pieces(lines) -> int:
    return lines.aggregate(total=Sum("quantity"))["total"] or 0


def _ready_date(
    *,
    shop: Shop,
    bench: Bench,
    pieces_ahead: int,
    quantity: int,
    lead_time_days: int | None,
    today: date,
) -> date:
    days_off = shop.weekdays_off
    earliest = next_working_day(today + timedelta(days=lead_time_days or 0), days_off)
    if bench.weekly_capacity is None:
        return earliest
    queued = queue_date(
        pieces_ahead=pieces_ahead,
        quantity=quantity,
        weekly_capacity=bench.weekly_capacity,
        days_off=days_off,
        today=today,
    )
    return max(queued, earliest)


def ready_date_for_option(
    *, option: ProductOption, quantity: int, today: date | None = None
) -> date | None:
    """When a new order of `quantity` of a made-to-order option would be ready (None otherwise)."""
    product = option.product
    if not product.is_made_to_order:
        return None
    shop = product.shop
    bench = bench_for(shop, product.product_type_id)
    return _ready_date(
        shop=shop,
        bench=bench,
        pieces_ahead=_pieces(open_lines(shop).filter(bench.lines)),
        quantity=quantity,
        lead_time_days=product.lead_time_days,
        today=today or timezone.localdate(),
    )


def proposed_ready_date(*, suborder: SubOrder, today: date | None = None) -> date | None:
    """The ready date to propose when accepting `suborder`: behind the accepted work and the new
    sub-orders that came before it (None without made-to-order lines)."""
    lines = list(
        suborder.lines.filter(is_made_to_order=True).select_related("product").order_by("pk")
    )
    if not lines:
        return None
    shop = suborder.shop
    today = today or timezone.localdate()
    came_later = Q(suborder__status=SubOrder.Status.NEW) & (
        Q(suborder__routed_at__gt=suborder.routed_at)
        | Q(suborder__routed_at=suborder.routed_at, suborder__pk__gt=suborder.pk)
    )
    ahead = open_lines(shop).exclude(suborder=suborder)
    if suborder.routed_at is not None:
        ahead = ahead.exclude(came_later)
    by_bench: dict[Bench, list[OrderLine]] = defaultdict(list)
    for line in lines:
        by_bench[bench_for(shop, line.product.product_type_id if line.product else None)].append(
            line
        )
    return max(
        _ready_date(
            shop=shop,
            bench=bench,
            pieces_ahead=_pieces(ahead.filter(bench.lines)),
            quantity=sum(line.quantity for line in bench_lines),
            lead_time_days=max(line.lead_time_days or 0 for line in bench_lines),
            today=today,
        )
        for bench, bench_lines in by_bench.items()
    )


@dataclass(frozen=True)
class WorkQueue:
    """A shop's accepted made-to-order work not yet shipped, by how pressing it is."""

    late: list[SubOrder]
    due_this_week: list[SubOrder]
    later: list[SubOrder]
    pieces_in_queue: int
    pieces_to_accept: int
    next_ready_by: date | None

    @property
    def in_work(self) -> int:
        return len(self.late) + len(self.due_this_week) + len(self.later)


def work_queue(*, shop: Shop, today: date | None = None) -> WorkQueue:
    """What is in work (accepted or started, not yet ready or shipped), what is due by Sunday, and
    what is late (its ready date passed)."""
    today = today or timezone.localdate()
    sunday = today + timedelta(days=DAYS_IN_WEEK - today.isoweekday())
    made_to_order = OrderLine.objects.filter(suborder=OuterRef("pk"), is_made_to_order=True)
    accepted = list(
        SubOrder.objects.filter(
            Exists(made_to_order),
            shop=shop,
            status__in=IN_WORK_STATUSES,
            routed_at__isnull=False,
        )
        .select_related("order")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.filter(is_made_to_order=True))
        )
        .order_by(F("ready_by").asc(nulls_last=True), "accepted_at", "pk")
    )
    late = [s for s in accepted if s.ready_by and s.ready_by < today]
    due = [s for s in accepted if s.ready_by and today <= s.ready_by <= sunday]
    later = [s for s in accepted if s not in late and s not in due]
    lines = open_lines(shop)
    pieces = _pieces(lines)
    to_accept = _pieces(lines.filter(suborder__status=SubOrder.Status.NEW))
    bench = bench_for(shop, None)
    next_ready_by = None
    if bench.weekly_capacity is not None:
        next_ready_by = queue_date(
            pieces_ahead=_pieces(lines.filter(bench.lines)),
            quantity=1,
            weekly_capacity=bench.weekly_capacity,
            days_off=shop.weekdays_off,
            today=today,
        )
    return WorkQueue(late, due, later, pieces, to_accept, next_ready_by)
