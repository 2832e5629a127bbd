"""Every benchmark in one command (`make bench`), then ONE table of figures, targets and results.

    .venv/bin/python bench/run.py [--products 10000] [--growth-products 100000] [--seconds 10]
        [--rounds 3] [--orders 500] [--quick]

Production settings on this machine's PostgreSQL and Redis (the bench's own databases:
batik_bench, batik_bench_<N>k for the growth run, batik_bench_orders; Redis db 9, and db 10 for
the growth run's larger catalog), gunicorn with the production worker count, wrk (from Debian)
as the load generator. Steps:

1. pages under wrk at --products, per visitor kind, in rounds interleaved with the bare view;
   queries per page (bench/catalog.py);
2. growth: in-process page times on a cache miss at --products and at --growth-products, two
   processes driven request by request in turn (bench/growth.py); search latency at the larger;
3. orders placed over HTTP and routed by one worker (bench/orders.py);
4. page weight in headless Chromium (bench/pageweight.py).

`--quick` is for development: 2-second slices, a smaller order run. All figures go to
bench/results/summary.json; the exit status is non-zero if a script failed (not if a target
is missed: the table says that).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from harness import BASE_DIR, DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, PYTHON, RESULTS

VISITORS = ("first-time", "session-cart", "signed-in")
PAGES = ("catalog", "search-selective", "search-broad", "product", "shop", "home")
ANONYMOUS_RATIO = 0.5
SIGNED_IN_RATIO = {"catalog": 0.12, "product": 0.10}
MAX_QUERIES = 6
GROWTH = 1.5
# Set on the search itself with its page of cards (as first measured); the whole page is shown too.
SEARCH_P95_MS = {"search-selective": 20, "search-broad": 100}
ROUTED_PER_SECOND = 100
CLICK_TO_NOTIFIED_P99_S = 1.0


def cpu_loop_seconds() -> float:
    """Seconds this machine takes for a fixed pure-Python loop, the best of three: its speed
    at the moment (on a shared machine it moves, and every absolute figure with it)."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(5_000_000):
            total += number
        timings.append(time.perf_counter() - started)
    return round(min(timings), 3)


def stage(number: int, total: int, title: str) -> None:
    width = 24
    filled = width * (number - 1) // total
    print(f"\n[{'#' * filled}{'.' * (width - filled)}] step {number}/{total}: {title}", flush=True)


def run_script(args: list[str]) -> bool:
    """Run one benchmark script, its own progress shown as it comes; True when it succeeded."""
    started = time.monotonic()
    code = subprocess.call([PYTHON, *args], cwd=BASE_DIR)
    print(f"  ({time.monotonic() - started:.0f} s, exit {code})", flush=True)
    return code == 0


def load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def ratio_target(visitor: str, page: str) -> float | None:
    if visitor == "signed-in":
        return SIGNED_IN_RATIO.get(page)
    return ANONYMOUS_RATIO


def page_rows(catalog: dict) -> list[tuple]:
    """(figure, visitor, req/s, × bare, p95, p99, queries, target, result) per page × visitor."""
    rows = []
    load = catalog.get("load") or {}
    bare = load.get("bare")
    if bare:
        rows.append(("bare view", "any", f"{bare['rps']:.0f}", "1.00", f"{bare['p95_ms']:.1f}",
                     f"{bare['p99_ms']:.1f}", "", "floor", ""))  # fmt: skip
    for visitor in VISITORS:
        for page in PAGES:
            r = load.get(visitor, {}).get(page)
            counts = catalog["queries"][visitor][page]
            small, large = counts["24"], counts["96"]
            queries_ok = small is not None and small == large and small <= MAX_QUERIES
            minimum = ratio_target(visitor, page)
            ratio_ok = None if minimum is None or r is None else r["ratio_to_bare"] >= minimum
            failed = [n for n, ok in (("ratio", ratio_ok), ("queries", queries_ok)) if ok is False]
            if r and r["errors"]:
                failed.append(f"{r['errors']} errors")
            target = (f"≥ {minimum:.2f}×, " if minimum else "") + f"≤ {MAX_QUERIES} q, same"
            rows.append(
                (page, visitor,
                 f"{r['rps']:.0f}" if r else "", f"{r['ratio_to_bare']:.2f}" if r else "",
                 f"{r['p95_ms']:.1f}" if r else "", f"{r['p99_ms']:.1f}" if r else "",
                 f"{small}/{large}", target, "FAIL " + ", ".join(failed) if failed else "PASS")
            )  # fmt: skip
    return rows


def figure_rows(small: dict | None, large: dict | None, orders: dict | None, weight) -> list:
    """(figure, value, target, result) for growth, search at scale, orders and page weight."""
    rows = []
    if small and large:
        label = f"{small['products'] // 1000}k → {large['products'] // 1000}k"
        for page in small["in_process"]["first-time"]:
            worst, parts = 0.0, []
            for visitor in VISITORS:
                a = small["in_process"][visitor][page]["median_ms"]
                b = large["in_process"][visitor][page]["median_ms"]
                worst = max(worst, b / a if a else 0.0)
                parts.append(f"{visitor} {a:.0f}→{b:.0f}")
            rows.append((f"growth {page}, {label}, median ms on a miss", "; ".join(parts),
                         f"≤ {GROWTH}×", f"{'PASS' if worst <= GROWTH else 'FAIL'} ({worst:.2f}×)"))  # fmt: skip
    scale = large or small
    if scale:
        at = f"at {scale['products'] // 1000}k, new searches"
        for page, limit in SEARCH_P95_MS.items():
            r = scale["search"][page]
            rows.append((f"{page} p95 {at}, the search and its page of cards",
                         f"{r['p95_ms']:.1f} ms (median {r['median_ms']:.1f}, {r['requests']} searches)",
                         f"≤ {limit} ms", "PASS" if r["p95_ms"] <= limit else "FAIL"))  # fmt: skip
            rows.append(
                (
                    f"{page} p95 {at}, whole page",
                    f"{r['page_p95_ms']:.1f} ms (median {r['page_median_ms']:.1f})",
                    "—",
                    "",
                )
            )
    if orders:
        routed = orders.get("routed_per_second")
        rows.append(("orders routed / s, one worker", f"{routed}", f"≥ {ROUTED_PER_SECOND}",
                     "PASS" if routed and routed >= ROUTED_PER_SECOND else "FAIL"))  # fmt: skip
        c = orders.get("concurrent", {})
        if "latency_p99_s" in c:
            p99 = c["latency_p99_s"]
            rows.append((f"click → artisan notified p99, {c['checkouts_at_once']} at once",
                         f"{p99} s (p50 {c['latency_p50_s']} s; POST p99 {c['checkout_post_p99_s']} s)",
                         f"≤ {CLICK_TO_NOTIFIED_P99_S:g} s",
                         "PASS" if p99 <= CLICK_TO_NOTIFIED_P99_S else "FAIL"))  # fmt: skip
    for page, figures in (weight or {}).items():
        before = figures["before_images"]["bytes"] / 1024
        after = figures["with_images"]["bytes"] / 1024
        target = "≤ 150 KB before images" if page == "catalog" else "—"
        result = ("PASS" if before <= 150 else "FAIL") if page == "catalog" else ""
        rows.append((f"page weight {page} (360 px)", f"{before:.0f} KB, {after:.0f} KB with images",
                     target, result))  # fmt: skip
    return rows


def print_table(headers: tuple, rows: list) -> None:
    if not rows:
        return
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    line = "  ".join("-" * w for w in widths)
    print()
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--growth-products", type=int, default=100_000, help="0 to skip")
    parser.add_argument("--seconds", type=float, help="wrk slice length (default 10, quick 2)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--orders", type=int, help="orders in the backlog (default 500)")
    parser.add_argument("--bursts", type=int, help="rounds of 20 checkouts at once (default 10)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--skip-weight", action="store_true", help="no Chromium page weight")
    parser.add_argument("--quick", action="store_true", help="short slices, for development")
    args = parser.parse_args()
    seconds = args.seconds or (2 if args.quick else 10)
    orders = args.orders or (100 if args.quick else 500)
    bursts = args.bursts or (3 if args.quick else 10)
    RESULTS.mkdir(parents=True, exist_ok=True)
    started_load = os.getloadavg()
    speed = {"at_start": cpu_loop_seconds()}
    common = ["--redis-url", args.redis_url]
    steps = 4 + int(bool(args.growth_products)) - int(args.skip_weight)
    step = 0

    def next_stage(title: str) -> None:
        nonlocal step
        step += 1
        stage(step, steps, title)

    next_stage(f"pages under wrk, {args.products:,} products, {seconds:g}-s slices")
    small_out = RESULTS / f"catalog-{args.products}.json"
    # With the growth step, page times come from it (both sizes timed in turn), not from here.
    page_times = ["--no-page-times"] if args.growth_products else []
    small_ok = run_script(
        ["bench/catalog.py", "--products", str(args.products), "--database-url", args.database_url,
         "--seconds", str(seconds), "--rounds", str(args.rounds), "--connections",
         str(args.connections), "--out", str(small_out), *page_times, *common]
    )  # fmt: skip
    growth_ok, growth_out = True, None
    if args.growth_products:
        next_stage(
            f"growth: {args.products:,} and {args.growth_products:,} products timed in turn,"
            " and search (in-process)"
        )
        growth_out = RESULTS / "growth.json"
        growth_ok = run_script(
            ["bench/growth.py", "--products", str(args.products), "--growth-products",
             str(args.growth_products), "--database-url", args.database_url,
             "--redis-url", args.redis_url, "--out", str(growth_out)]
        )  # fmt: skip
    next_stage(f"orders: {orders} routed by one worker, {bursts} × 20 checkouts at once")
    orders_out = RESULTS / "orders.json"
    orders_ok = run_script(
        ["bench/orders.py", "--orders", str(orders), "--bursts", str(bursts), "--database-url",
         f"{args.database_url}_orders", "--out", str(orders_out), *common]
    )  # fmt: skip
    weight_ok, weight_out = True, RESULTS / "pageweight.json"
    if not args.skip_weight:
        next_stage("page weight in headless Chromium")
        weight_ok = run_script(
            ["bench/pageweight.py", "--database-url", args.database_url, "--out",
             str(weight_out), *common]
        )  # fmt: skip
    next_stage("summary")

    small = load_json(small_out) if small_ok else None
    growth = load_json(growth_out) if growth_out and growth_ok else None
    orders_result = load_json(orders_out) if orders_ok else None
    weight = load_json(weight_out) if weight_ok and not args.skip_weight else None
    pages = page_rows(small) if small else []
    sizes = (growth["small"], growth["large"]) if growth else (small, None)
    figures = figure_rows(*sizes, orders_result, weight)
    if small and small.get("load_settings"):
        s = small["load_settings"]
        print(
            f"\nPages: {small['products']:,} products; gunicorn {small.get('web_workers')} workers;"
            f" wrk {s['connections']} connections, {s['rounds']} rounds of {s['seconds_per_slice']:g}-s"
            " slices, medians; queries counted on a cache miss at 24/96 items"
        )
    print_table(
        ("page", "visitor", "req/s", "× bare", "p95 ms", "p99 ms", "queries", "target", "result"),
        pages,
    )
    print_table(("figure", "value", "target", "result"), figures)
    finished_load = os.getloadavg()
    print("load average at the end (1/5/15 min): " + ", ".join(f"{x:.2f}" for x in finished_load))
    speed["at_end"] = cpu_loop_seconds()
    print(
        f"this machine's speed: a fixed Python loop took {speed['at_start']:.3f} s at the start,"
        f" {speed['at_end']:.3f} s at the end (less is faster)"
    )
    failed = [
        name
        for name, ok in (
            ("pages", small_ok),
            ("growth", growth_ok),
            ("orders", orders_ok),
            ("page weight", weight_ok),
        )
        if not ok
    ]
    summary = {
        "products": args.products,
        "growth_products": args.growth_products,
        "load_average_at_start": started_load,
        "load_average_at_end": finished_load,
        "cpu_loop_seconds": speed,
        "pages": [dict(zip(("page", "visitor", "rps", "ratio_to_bare", "p95_ms", "p99_ms",
                             "queries", "target", "result"), row, strict=True)) for row in pages],
        "figures": [dict(zip(("figure", "value", "target", "result"), row, strict=True))
                    for row in figures],
        "catalog": small,
        "growth": growth,
        "orders": orders_result,
        "page_weight": weight,
        "scripts_failed": failed,
    }  # fmt: skip
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"All figures: {(RESULTS / 'summary.json').relative_to(BASE_DIR)}")
    if failed:
        sys.exit(f"Failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
