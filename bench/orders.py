"""Order benchmark: buyers check out over HTTP, one Celery worker routes; throughput and latency.

    .venv/bin/python bench/orders.py [--orders 500] [--concurrency 20] [--bursts 10]

Production settings, gunicorn with the production worker count and one `celery worker` run as
docker-compose.yml runs it (default pool and concurrency, INFO log), PostgreSQL and Redis of the
benchmark's own, and a local SMTP sink for the emails. Each buyer is a guest with their own
session: they open a product page, add two batik from two shops to the cart (two of ten shops that
offer cash on delivery), and click "order" (the checkout POST). Two figures:

- **routed per second**: `--orders` checkouts are placed while no worker runs, then the worker
  starts and drains them; from the first order routed to the last (its start-up excluded).
- **click → artisan notified**: with the worker running, `--bursts` rounds of `--concurrency`
  buyers clicking at the same instant; for each order, from the moment its checkout POST is sent
  to the `created_at` of its first artisan notice (committed by the routing transaction). The
  web workers' queue, placement, the broker and routing are all inside.

Writes bench/results/orders.json.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import appcode
import harness
import smtp_sink


def prepare(port: int, carts: list[list[int]]) -> list[harness.Client]:
    """One browser per buyer, each with a cart of two batik from two shops, added through the site."""

    def one(cart: list[int]) -> harness.Client:
        browser = harness.Client(port)
        browser.get(appcode.CSRF_PAGE)
        for option_id in cart:
            response = browser.post(appcode.CART_ADD, appcode.cart_add_form(option_id))
            if response.status != 302:
                sys.exit(f"Adding to the cart answered {response.status}.")
        return browser

    with ThreadPoolExecutor(6) as pool:
        return list(pool.map(one, carts))


def checkout(browser: harness.Client, email: str) -> tuple[float, float]:
    """The buyer's click: (wall-clock time the POST was sent, seconds until the answer)."""
    clicked = time.time()
    started = time.monotonic()
    response = browser.post(appcode.CHECKOUT, appcode.guest_checkout_form(email))
    if response.status != 302 or response.headers.get("Location", "").endswith(appcode.CART):
        sys.exit(f"Checkout answered {response.status}: {response.body[:300]!r}")
    return clicked, time.monotonic() - started


def wait_routed(order_ids: list[int], log, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while appcode.unrouted(order_ids):
        if time.monotonic() > deadline:
            sys.exit(f"Orders were not all routed in time; see {log}")
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=500, help="backlog drained by the worker")
    parser.add_argument("--concurrency", type=int, default=20, help="buyers clicking at once")
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL + "_orders")
    parser.add_argument("--redis-url", default=harness.DEFAULT_REDIS_URL)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--smtp-port", type=int, default=8025)
    parser.add_argument("--out", default=str(harness.RESULTS / "orders.json"))
    args = parser.parse_args()

    harness.ensure_database(args.database_url)
    env = harness.production_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        EMAIL_PORT=str(args.smtp_port),
        EMAIL_USE_TLS="false",
    )
    harness.collect_static(env)
    harness.setup_django(env)
    import redis

    appcode.migrate()
    appcode.refuse_foreign_data()
    appcode.clear_orders()
    redis.Redis.from_url(args.redis_url).flushdb()  # the bench's own db: cache and queued tasks
    shops = appcode.seed_order_shops()
    smtp_sink.start(args.smtp_port)
    run_id = datetime.now(UTC).strftime("%H%M%S")
    worker_log = harness.RESULTS / "orders-worker.log"

    def carts(count: int, first: int) -> list[list[int]]:
        chosen = []
        for index in range(first, first + count):
            rng = random.Random(index)
            a, b = rng.sample(range(len(shops)), 2)
            chosen.append([rng.choice(shops[a]), rng.choice(shops[b])])
        return chosen

    def email(index: int) -> str:
        return f"bench-{run_id}-{index}@example.com"

    results: dict = {"orders": args.orders, "load_average_before": os.getloadavg()}
    worker = None
    with harness.Server(env, args.port) as server:
        results["web_workers"] = server.workers
        # 1. The backlog: placed over HTTP with no worker running, then drained by one worker.
        print(f"Placing {args.orders} orders through the checkout (no worker yet)...", flush=True)
        browsers = prepare(args.port, carts(args.orders, 0))
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(lambda pair: checkout(pair[1], email(pair[0])), enumerate(browsers)))
        backlog = list(appcode.orders_by_email([email(i) for i in range(args.orders)]).values())
        print("Starting one worker and draining the backlog...", flush=True)
        worker = subprocess.Popen(
            [str(harness.BASE_DIR / ".venv/bin/celery"), "-A", "marketplace", "worker",
             "--loglevel=INFO"],
            cwd=harness.BASE_DIR, env=env, stdout=worker_log.open("ab"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            wait_routed(backlog, worker_log)
            first, last = appcode.routed_span(backlog)
            steady = (last - first).total_seconds() or 1e-9
            results["routed_per_second"] = round((len(backlog) - 1) / steady, 1)
            deadline = time.monotonic() + 300
            while appcode.emails_pending() and time.monotonic() < deadline:
                time.sleep(0.1)
            sent_first, sent_last, count = appcode.emails_span()
            if sent_last:
                results["emails"] = count
                results["orders_routed_and_emailed_per_second"] = round(
                    len(backlog) / ((sent_last - first).total_seconds() or 1e-9), 1
                )

            # 2. Bursts of buyers clicking at once, the worker running.
            latencies, placements = [], []
            for burst in range(args.bursts):
                harness.progress(f"{args.concurrency} checkouts at once", burst, args.bursts)
                base = 100_000 + burst * args.concurrency
                browsers = prepare(args.port, carts(args.concurrency, base))
                barrier = threading.Barrier(args.concurrency)
                clicks: dict[str, float] = {}

                def buyer(index: int, browser, barrier=barrier, clicks=clicks, base=base):
                    barrier.wait()
                    clicked, took = checkout(browser, email(base + index))
                    clicks[email(base + index)] = clicked
                    placements.append(took)

                threads = [
                    threading.Thread(target=buyer, args=(i, b)) for i, b in enumerate(browsers)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                ids = appcode.orders_by_email(list(clicks))
                wait_routed(list(ids.values()), worker_log)
                notified = appcode.artisan_notified_at(list(ids.values()))
                latencies += [
                    notified[ids[address]].timestamp() - clicked
                    for address, clicked in clicks.items()
                ]
            harness.progress(f"{args.concurrency} checkouts at once", args.bursts, args.bursts)
        finally:
            # A warm shutdown through the main process; its pool children finish their task.
            worker.terminate()
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
    results["concurrent"] = {
        "checkouts_at_once": args.concurrency,
        "orders": len(latencies),
        "latency_p50_s": round(harness.median(latencies), 3),
        "latency_p99_s": round(harness.percentile(latencies, 99), 3),
        "checkout_post_p50_s": round(harness.median(placements), 3),
        "checkout_post_p99_s": round(harness.percentile(placements, 99), 3),
    }
    results["load_average_after"] = os.getloadavg()
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w") as out:
        json.dump(results, out, indent=2)
    c = results["concurrent"]
    print(
        f"Orders: {results['routed_per_second']} routed/s by one worker;"
        f" {args.concurrency} at once: click → artisan notified p50 {c['latency_p50_s']} s,"
        f" p99 {c['latency_p99_s']} s (checkout POST p99 {c['checkout_post_p99_s']} s)"
    )
    print(f"Written to {args.out}")


if __name__ == "__main__":
    main()
