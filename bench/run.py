"""Every benchmark in one command (`make bench`): catalog, search at scale, orders, page weight.

    .venv/bin/python bench/run.py [--products 10000] [--search-products 100000] [--quick]

Runs on PostgreSQL + Redis on this machine (databases batik_bench, batik_bench_search and
batik_bench_orders are created when missing, and refused when they hold shops the benchmark did not make), runs each
script that is present, then prints ONE table: each figure, its target, its ratio to the bare
Django view measured in the same run, and pass/fail. All figures go to
bench/results/summary.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS = BASE_DIR / "bench/results"
PYTHON = str(BASE_DIR / ".venv/bin/python")


def stage(number: int, total: int, title: str) -> None:
    width = 24
    filled = width * (number - 1) // total
    print(f"\n[{'#' * filled}{'.' * (width - filled)}] step {number}/{total}: {title}", flush=True)


def run_script(args: list[str]) -> bool:
    """Run one benchmark script, its own progress bars shown as they come; True when it passed."""
    started = time.monotonic()
    code = subprocess.call([PYTHON, *args], cwd=BASE_DIR)
    print(f"  ({time.monotonic() - started:.0f} s, exit {code})", flush=True)
    return code == 0


def load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def rows_for(catalog: dict | None, search: dict | None, orders: dict | None, weight: dict | None):
    """(figure, value, target, ratio to bare, passed) for every figure there is."""
    rows = []
    if catalog:
        for mode, minimum in (("uncached", 0.15), ("cached", 0.5)):
            results = catalog["modes"].get(mode, {})
            bare = results.get("bare")
            if bare:
                rows.append(
                    (f"bare view ({mode} run)", f"{bare['rps']:.0f} req/s", "floor", 1.0, None)
                )
            for page in ("catalog", "search-selective", "search-broad", "product"):
                r = results.get(page)
                if not r:
                    continue
                target = f"≥ {minimum}× bare" if page == "catalog" else "—"
                passed = r["ratio_to_bare"] >= minimum if page == "catalog" else None
                value = f"{r['rps']:.0f} req/s, p95 {r['p95_ms']:.0f} ms"
                rows.append((f"{page} {mode}", value, target, r["ratio_to_bare"], passed))
        counts = catalog.get("query_counts") or {}
        for page in ("home", "catalog", "search", "product"):
            small, large = counts.get(f"{page}-24"), counts.get(f"{page}-96")
            if small is None and large is None:
                value = counts.get(page)
                if value is None:
                    continue
                rows.append((f"queries: {page}", str(value), "≤ 6", None, value <= 6))
            else:
                ok = small is not None and small == large and small <= 6
                rows.append(
                    (f"queries: {page} 24 / 96 items", f"{small} / {large}", "same, ≤ 6", None, ok)
                )
    if search:
        for label, limit in (("selective", 20), ("broad", 100)):
            r = search.get("search_queries", {}).get(label)
            if r:
                rows.append(
                    (f"search query {label}, {search['products']:,} products",
                     f"p95 {r['p95_ms']:.1f} ms", f"p95 ≤ {limit} ms", None, r["p95_ms"] <= limit)
                )  # fmt: skip
    if orders:
        routed = orders.get("routed_per_second")
        if routed is not None:
            rows.append(("orders routed / s, 1 worker", f"{routed}", "≥ 100", None, routed >= 100))
        emailed = orders.get("orders_routed_and_emailed_per_second")
        if emailed is not None:
            # Routing commits the emails to the outbox; this counts until the last one is sent.
            rows.append(("  same, until every email is sent", f"{emailed}", "—", None, None))
        concurrent = orders.get("concurrent", {})
        if "latency_p99_s" in concurrent:
            p99 = concurrent["latency_p99_s"]
            rows.append(
                (f"order → artisan p99, {concurrent.get('checkouts_at_once', 20)} at once",
                 f"{p99} s", "≤ 1 s", None, p99 <= 1)
            )  # fmt: skip
    if weight:
        for page, figures in weight.items():
            before = figures["before_images"]["bytes"] / 1024
            after = figures["with_images"]["bytes"] / 1024
            target = "≤ 150 KB" if page == "catalog" else "—"
            rows.append(
                (f"page weight {page} (360 px)", f"{before:.0f} KB before images, {after:.0f} KB with",
                 target, None, before <= 150 if page == "catalog" else None)
            )  # fmt: skip
    return rows


def print_table(rows, load_average) -> None:
    headers = ("figure", "value", "target", "× bare", "result")
    cells = [
        (
            name,
            value,
            target,
            "" if ratio is None else f"{ratio:.2f}",
            {True: "pass", False: "FAIL", None: ""}[passed],
        )
        for name, value, target, ratio, passed in rows
    ]
    widths = [max(len(str(row[i])) for row in [headers, *cells]) for i in range(5)]
    line = "  ".join("-" * w for w in widths)
    print()
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print(line)
    for row in cells:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    print(line)
    print(
        "load average during the run (1/5/15 min): " + ", ".join(f"{x:.2f}" for x in load_average)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--search-products", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/batik_bench"
        ),
    )
    parser.add_argument(
        "--search-database-url",
        default=os.environ.get(
            "BENCH_SEARCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/batik_bench_search"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
    )
    parser.add_argument("--quick", action="store_true", help="fewer requests, for a smoke run")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    started_load = os.getloadavg()

    common = ["--redis-url", args.redis_url]
    load = ["--requests", "150", "--seconds", "6", "--rounds", "2"] if args.quick else []
    has_orders = (BASE_DIR / "bench/orders.py").exists()
    steps = 3 + int(has_orders) + int(bool(args.search_products))
    step = 1

    stage(step, steps, f"catalog pages, {args.products:,} products, bare view alongside")
    catalog_out = RESULTS / "catalog.json"
    catalog_ok = run_script(
        ["bench/catalog.py", "--products", str(args.products), "--database-url", args.database_url,
         "--out", str(catalog_out), *common, *load]
    )  # fmt: skip
    step += 1
    search_out = RESULTS / "search.json"
    search_ok = True
    if args.search_products:
        stage(step, steps, f"search queries over {args.search_products:,} products")
        search_ok = run_script(
            ["bench/catalog.py", "--products", str(args.search_products), "--skip-load",
             "--database-url", args.search_database_url, "--out", str(search_out), *common]
        )  # fmt: skip
        step += 1
    orders_out = RESULTS / "orders.json"
    orders_ok = True
    if has_orders:
        stage(step, steps, f"orders: {args.orders} placed and routed by one worker")
        orders_ok = run_script(
            ["bench/orders.py", "--orders", str(args.orders), "--database-url",
             args.database_url + "_orders", *common]
        )  # fmt: skip
        step += 1
    stage(step, steps, "page weight in headless Chromium")
    weight_out = RESULTS / "pageweight.json"
    weight_ok = run_script(
        ["bench/pageweight.py", "--database-url", args.database_url, "--out", str(weight_out),
         *common]
    )  # fmt: skip
    step += 1
    stage(step, steps, "summary")

    catalog = load_json(catalog_out) if catalog_ok else None
    search = load_json(search_out) if args.search_products and search_ok else None
    orders = load_json(orders_out) if has_orders and orders_ok else None
    weight = load_json(weight_out) if weight_ok else None
    rows = rows_for(catalog, search, orders, weight)
    finished_load = os.getloadavg()
    print_table(rows, finished_load)
    summary = {
        "products": args.products,
        "search_products": args.search_products,
        "load_average_at_start": started_load,
        "load_average_at_end": finished_load,
        "figures": [
            {"figure": n, "value": v, "target": t, "ratio_to_bare": r, "passed": p}
            for n, v, t, r, p in rows
        ],
        "catalog": catalog,
        "search": search,
        "orders": orders,
        "page_weight": weight,
        "scripts_failed": [
            name
            for name, ok in (
                ("catalog", catalog_ok),
                ("search", search_ok),
                ("orders", orders_ok),
                ("page weight", weight_ok),
            )
            if not ok
        ],
    }
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=2))
    print(f"All figures: {(RESULTS / 'summary.json').relative_to(BASE_DIR)}")
    if summary["scripts_failed"]:
        sys.exit(f"Failed: {', '.join(summary['scripts_failed'])}")


if __name__ == "__main__":
    main()
