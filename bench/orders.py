"""Order benchmark: place N orders against PostgreSQL + Redis, route them with one real worker.

Prints orders routed per second (a backlog drained by one worker) and placement → artisan
notified latency p50/p99, one checkout at a time and at 20 concurrent checkouts. Writes JSON to
bench/results/orders.json.

"Routed" means what the routing transaction commits: sub-orders marked routed, every in-app
notification (with the artisans' WhatsApp links to the buyer) written, and every email rendered in
its reader's language into the outbox. The same worker then sends the outbox (through the file
backend), after the routing tasks ahead of it in the queue; the benchmark waits for every email
and prints how fast they went and when the last one was out, so nothing is left uncounted.

The worker is one `celery worker` process, run like production: the prefork pool with one child
per core (`--worker-concurrency`, default 2) and `--prefetch-multiplier 4`. Prefetching does not
weaken delivery: tasks stay `acks_late` with `reject_on_worker_lost`, so a reserved message is
acknowledged only once its routing committed and goes back to the queue if the worker dies; it
only saves the broker round trip between two tasks. The throughput figure is measured from the
first to the last order routed (start-up excluded); the figure with start-up is printed as well.

The 20 concurrent buyers are spread like real ones: each buys from two shops drawn at random
among ten, two products each. The "hot product" rounds, where all 20 buy the same two products
(one stock row lock each, so their checkouts queue), are reported separately.

    .venv/bin/python bench/orders.py [--orders 500] [--concurrency 20]
        [--worker-concurrency 2] [--prefetch-multiplier 4] [--hot-rounds 10]
        [--database-url postgres://postgres@127.0.0.1:5432/batik_bench]
        [--redis-url redis://127.0.0.1:6379/14]
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--worker-concurrency", type=int, default=min(os.cpu_count() or 2, 4))
    parser.add_argument("--prefetch-multiplier", type=int, default=4)
    parser.add_argument("--hot-rounds", type=int, default=10)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/batik_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    return parser.parse_args()


def _ensure_database(url: str) -> None:
    """Create the benchmark's own PostgreSQL database when it does not exist yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    admin = psycopg.connect(
        dbname="postgres",
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        autocommit=True,
    )
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, IndexError, ValueError):
            continue
        pending += [int(child) for child in children]
    return total


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    args = _parse()
    _ensure_database(args.database_url)
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "DJANGO_SETTINGS_MODULE": "marketplace.settings",
            "LOG_LEVEL": "WARNING",
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Max, Min

    from marketplace.celery import app as celery_app
    from notifications.models import Notification, OutgoingEmail
    from notifications.services import SENDING_QUEUED_KEY
    from orders import placement
    from orders.models import Order, PaymentMethod, ShippingProfile

    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(BASE_DIR))
    # A clean slate in the benchmark's own database and Redis db.
    from django.contrib.auth import get_user_model

    from artisans.models import Shop
    from tests.factories import make_product, make_shop

    Notification.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    Order.objects.all().delete()
    Shop.objects.all().delete()
    get_user_model().objects.all().delete()
    celery_app.control.purge()
    from django.core.cache import cache

    cache.delete(SENDING_QUEUED_KEY)  # A request to send left over from an interrupted run.
    shops = [make_shop() for _ in range(10)]
    for shop in shops:
        ShippingProfile.objects.update_or_create(shop=shop, defaults={"offers_cod": True})
    # Two products per shop; the first product of the first two shops is the "hot" pair.
    shop_options = [
        [make_product(shop=shop, stock=1_000_000).options.get().pk for _ in range(2)]
        for shop in shops
    ]
    options = [shop_options[0][0], shop_options[1][0]]
    address = {
        "recipient": "Siti Aminah",
        "phone": "081234567890",
        "street": "Jl. Pendidikan No. 12",
        "kelurahan": "Swarga Bara",
        "kecamatan": "Sangatta Utara",
        "kabupaten": "Kutai Timur",
        "province": "Kalimantan Timur",
        "postal_code": "75683",
    }

    def spread_cart(index: int) -> dict[int, int]:
        """Two products from two shops drawn at random, as different buyers would pick."""
        rng = random.Random(index)
        first, second = rng.sample(range(len(shop_options)), 2)
        return {rng.choice(shop_options[first]): 1, rng.choice(shop_options[second]): 1}

    def place(index: int, cart: dict[int, int] | None = None) -> int:
        # Two artisans per order, cash on delivery: routed as soon as it is placed.
        order = placement.place_order(
            buyer=None,
            email=f"bench{index}@example.com",
            quantities=cart or {options[0]: 1, options[1]: 1},
            address=address,
            payment_method=PaymentMethod.COD,
        )
        return order.pk

    email_dir = tempfile.mkdtemp(prefix="bench-emails-")
    log_path = Path(tempfile.mkdtemp(prefix="bench-worker-")) / "worker.log"
    worker_env = {**os.environ, "EMAIL_FILE_PATH": email_dir, "PYTHONUNBUFFERED": "1"}

    def start_worker() -> subprocess.Popen:
        log = log_path.open("ab")
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "--loglevel=WARNING",
             f"--concurrency={args.worker_concurrency}",
             f"--prefetch-multiplier={args.prefetch_multiplier}", "--pool=prefork", "--without-gossip",
             "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR, env=worker_env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        return process

    def wait_routed(order_ids: list[int], timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not Order.objects.filter(pk__in=order_ids, routed_at__isnull=True).exists():
                return
            time.sleep(0.05)
        raise SystemExit("orders were not all routed in time; see " + str(log_path))

    def latencies(order_ids: list[int]) -> list[float]:
        """Seconds from placement to the first artisan notification of each order."""
        placed = dict(Order.objects.filter(pk__in=order_ids).values_list("pk", "created_at"))
        notified = (
            Notification.objects.filter(kind="order-routed")
            .values("key")
            .annotate(at=Min("created_at"))
        )
        first: dict[int, object] = {}
        for row in notified:
            order_id = int(row["key"].split("-")[1])
            if order_id in placed and (order_id not in first or row["at"] < first[order_id]):
                first[order_id] = row["at"]
        return [(first[pk] - placed[pk]).total_seconds() for pk in order_ids if pk in first]

    results: dict = {
        "orders": args.orders,
        "worker_concurrency": args.worker_concurrency,
        "prefetch_multiplier": args.prefetch_multiplier,
        "load_average_before": os.getloadavg(),
    }

    # 1. Throughput: N orders wait in the queue, then one worker drains them.
    backlog = [place(i) for i in range(args.orders)]
    process = start_worker()
    started = time.monotonic()
    # The worker's own CPU time per order, counted from the first order routed (so without its
    # start-up): what the code costs, whatever else the machine is busy with.
    while not Order.objects.filter(pk__in=backlog, routed_at__isnull=False).exists():
        time.sleep(0.01)
    cpu_before = _cpu_seconds(process.pid)
    routed_before = Order.objects.filter(pk__in=backlog, routed_at__isnull=False).count()
    wait_routed(backlog)
    worker_cpu = _cpu_seconds(process.pid) - cpu_before
    drained = time.monotonic() - started  # includes the worker's start-up
    routed = Order.objects.filter(pk__in=backlog).aggregate(
        first=Min("routed_at"), last=Max("routed_at")
    )
    steady = (routed["last"] - routed["first"]).total_seconds() or 1e-9
    results["routed_per_second"] = round((args.orders - 1) / steady, 1)
    results["routed_per_second_with_startup"] = round(args.orders / drained, 1)
    results["worker_cpu_ms_per_order"] = round(
        1000 * worker_cpu / max(1, args.orders - routed_before), 1
    )
    # Then the emails of those orders (three each), sent by the same worker from the outbox.
    deadline = time.monotonic() + 600
    while OutgoingEmail.objects.filter(sent_at=None).exists():
        if time.monotonic() > deadline:
            raise SystemExit("emails were not all sent in time; see " + str(log_path))
        time.sleep(0.05)
    emails = OutgoingEmail.objects.aggregate(
        first=Min("sent_at"), last=Max("sent_at"), count=Count("pk")
    )
    sending = (emails["last"] - emails["first"]).total_seconds() or 1e-9
    everything = (emails["last"] - routed["first"]).total_seconds() or 1e-9
    results["emails"] = emails["count"]
    results["emails_sent_per_second"] = round((emails["count"] - 1) / sending, 1)
    results["orders_routed_and_emailed_per_second"] = round(args.orders / everything, 1)

    # 2. Latency, one checkout at a time (the next once the last was routed).
    sequential = []
    for i in range(min(args.orders, 100)):
        sequential.append(place(10_000 + i))
        wait_routed(sequential[-1:])
    seq = latencies(sequential)

    # 3. Latency in bursts of N checkouts at the same instant, one burst after another.
    def bursts(rounds: int, first_index: int, cart_for) -> dict:
        order_ids: list[int] = []
        placement_seconds: list[float] = []
        lock = threading.Lock()
        began = time.monotonic()
        for round_number in range(rounds):
            barrier = threading.Barrier(args.concurrency)
            burst: list[int] = []

            def shopper(thread: int, barrier=barrier, burst=burst, round_number=round_number):
                try:
                    index = first_index + round_number * args.concurrency + thread
                    cart = cart_for(index)
                    barrier.wait()
                    start = time.monotonic()
                    order_id = place(index, cart)
                    with lock:
                        placement_seconds.append(time.monotonic() - start)
                        burst.append(order_id)
                finally:
                    connection.close()

            threads = [threading.Thread(target=shopper, args=(t,)) for t in range(args.concurrency)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wait_routed(burst)
            order_ids += burst
        elapsed = time.monotonic() - began
        measured = latencies(order_ids)
        return {
            "checkouts_at_once": args.concurrency,
            "orders": len(measured),
            "placed_and_routed_per_second": round(len(order_ids) / elapsed, 1),
            "placement_p50_s": round(statistics.median(placement_seconds), 3),
            "placement_p99_s": round(_percentile(placement_seconds, 99), 3),
            "latency_p50_s": round(statistics.median(measured), 3),
            "latency_p99_s": round(_percentile(measured, 99), 3),
        }

    concurrent = bursts(max(1, args.orders // args.concurrency), 20_000, spread_cart)
    hot = bursts(max(1, args.hot_rounds), 40_000, lambda index: {options[0]: 1, options[1]: 1})

    process.terminate()
    process.wait(timeout=30)

    results.update(
        {
            "sequential": {
                "orders": len(seq),
                "latency_p50_s": round(statistics.median(seq), 3),
                "latency_p99_s": round(_percentile(seq, 99), 3),
            },
            "concurrent": concurrent,
            "hot_product": hot,
            "load_average_after": os.getloadavg(),
        }
    )
    out = BASE_DIR / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "orders.json").write_text(json.dumps(results, indent=2))

    rows = [
        ("orders routed / s (backlog, 1 worker)", f"{results['routed_per_second']}"),
        ("  same, counting worker start-up", f"{results['routed_per_second_with_startup']}"),
        ("  worker CPU time per order", f"{results['worker_cpu_ms_per_order']} ms"),
        ("emails sent / s (from the outbox, same worker)", f"{results['emails_sent_per_second']}"),
        (
            "orders routed and all their emails out / s",
            f"{results['orders_routed_and_emailed_per_second']}",
        ),
        ("latency p50, 1 checkout at a time", f"{results['sequential']['latency_p50_s']} s"),
        ("latency p99, 1 checkout at a time", f"{results['sequential']['latency_p99_s']} s"),
        (f"latency p50, {args.concurrency} at once", f"{results['concurrent']['latency_p50_s']} s"),
        (f"latency p99, {args.concurrency} at once", f"{results['concurrent']['latency_p99_s']} s"),
        (
            f"placement p99, {args.concurrency} at once",
            f"{results['concurrent']['placement_p99_s']} s",
        ),
        (f"hot product: latency p50, {args.concurrency} at once", f"{hot['latency_p50_s']} s"),
        (f"hot product: latency p99, {args.concurrency} at once", f"{hot['latency_p99_s']} s"),
        (f"hot product: placement p99, {args.concurrency} at once", f"{hot['placement_p99_s']} s"),
    ]
    width = max(len(label) for label, _ in rows)
    print(
        f"Orders benchmark: {args.orders} orders, 2 artisans each, PostgreSQL + Redis; one worker"
        f" (prefork, {args.worker_concurrency} children, prefetch {args.prefetch_multiplier});"
        f" load average {results['load_average_before'][0]:.2f} before,"
        f" {results['load_average_after'][0]:.2f} after"
    )
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(f"JSON: {out / 'orders.json'}")


if __name__ == "__main__":
    main()
