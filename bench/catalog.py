"""Catalog benchmark: the site's pages under wrk, per visitor kind, against the bare Django view.

    .venv/bin/python bench/catalog.py [--products 10000] [--seconds 10] [--rounds 3] [--no-load]

Seeds N products into the benchmark's own PostgreSQL database (bulk_create; created if missing,
refused if it holds shops the benchmark did not make), then, with production settings:

1. makes the three visitor kinds through the site itself: first-time visitors (no cookie),
   guests who added a batik to the cart and buyers who logged in through the login form and
   have a cart (`--sessions` session cookies of each, rotated by wrk);
2. in this process, with Django's test client: the queries of each page for each visitor kind on
   a cache miss, at 24 and at 96 items; unless --no-page-times, the median and p95 time of each
   page on a cache miss and the p95 of searches the cache has not seen yet;
3. unless --no-load: gunicorn with the production worker count and wrk from outside it. Per round
   and visitor kind, a slice of each page, each with a slice of the bare view just before and
   after; a page's ratio is its requests/s over the mean of those two bare slices, and the
   figures are medians over the rounds.

Writes bench/results/catalog-<N>.json (or --out).
"""

import argparse
import json
import sys
from pathlib import Path

import appcode
import harness
import inprocess


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def page_lists(sample: dict, vocab: list[str]) -> dict[str, list[str]]:
    """The pages loaded under wrk; each slice cycles through its page's list."""
    c = appcode.CATALOG
    return {
        "catalog": [c, appcode.catalog_page(2), f"{c}?motif=paku", f"{c}?sort=price-asc",
                    f"{c}?technique=tulis&verified=1", f"{c}?{appcode.IN_STOCK}",
                    f"{c}?{appcode.PER_PAGE}=96"],
        "search-selective": [appcode.search(word) for word in vocab[5:25]],
        "search-broad": [appcode.search(word) for word in ("batik", "kain", "tulis")],
        "product": [appcode.product(slug) for slug in sample["product_slugs"]],
        "shop": [appcode.shop(slug) for slug in sample["shop_slugs"]],
        "home": [appcode.HOME],
    }  # fmt: skip


def count_pages(sample: dict, vocab: list[str]) -> dict[str, tuple[str, str]]:
    """Each page at 24 and at 96 items (the same address where a page has no page size)."""
    per = appcode.PER_PAGE
    shop = appcode.shop(sample["shop_slugs"][0])
    product = appcode.product(sample["product_slugs"][0])
    return {
        "catalog": (f"{appcode.CATALOG}?{per}=24", f"{appcode.CATALOG}?{per}=96"),
        "search-selective": (appcode.search(vocab[5]) + f"&{per}=24",
                             appcode.search(vocab[5]) + f"&{per}=96"),
        "search-broad": (appcode.search("batik") + f"&{per}=24",
                         appcode.search("batik") + f"&{per}=96"),
        "product": (product, product),
        "shop": (f"{shop}?{per}=24", f"{shop}?{per}=96"),
        "home": (appcode.HOME, appcode.HOME),
    }  # fmt: skip


def query_counts(visitors: dict, pages: dict[str, tuple[str, str]]) -> dict:
    """Queries of one request on a cache miss (after a warm-up request), per visitor kind."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict = {}
    for kind, sessions in visitors.items():
        cookies = sessions[0]
        counts[kind] = {}
        for page, paths in pages.items():
            figures = []
            for path in paths:
                # Per-process things load once, as on a warm server.
                inprocess.client(cookies).get(path)
                inprocess.clear_caches()
                with CaptureQueriesContext(connection) as queries:
                    status = inprocess.client(cookies).get(path).status_code
                figures.append(len(queries) if status == 200 else None)
            counts[kind][page] = {"24": figures[0], "96": figures[1]}
    return counts


def check_pages(port: int, visitors: dict, pages: dict[str, list[str]]) -> None:
    """Every address answers 200 for every visitor kind (wrk would only count errors), and warm."""
    for kind, sessions in visitors.items():
        cookies = sessions[0]
        for page, paths in pages.items():
            for path in paths if kind == "first-time" else paths[:5]:
                status = harness.Client(port, cookies).get(path).status
                if status != 200:
                    sys.exit(f"{page} {path} answered {status} to a {kind} visitor.")


def measure_load(port: int, visitors: dict, pages: dict[str, list[str]], args) -> dict:
    slices = args.rounds * len(visitors) * len(pages) * 2 + 1
    done = 0

    def run(paths, sessions=({},)):
        nonlocal done
        harness.progress("Loading with wrk", done, slices)
        result = harness.wrk(
            port,
            paths,
            cookies=[cookie_header(c) for c in sessions if c],
            seconds=args.seconds,
            connections=args.connections,
        )
        done += 1
        return result

    raw: dict = {kind: {page: [] for page in pages} for kind in visitors}
    # Bare, page, bare, page...: each page slice between two bare ones, so that a change in
    # this machine's speed (here the bare view's rate moves by a third within a minute) is
    # read beside the slice it affects.
    bare_slices = [run([appcode.BARE])]
    for _round in range(args.rounds):
        for kind, sessions in visitors.items():
            for page, paths in pages.items():
                result = run(paths, sessions)
                bare_slices.append(run([appcode.BARE]))
                floor = (bare_slices[-2]["rps"] + bare_slices[-1]["rps"]) / 2
                result["ratio_to_bare"] = result["rps"] / floor if floor else 0.0
                raw[kind][page].append(result)
    harness.progress("Loading with wrk", slices, slices)

    def errors(result):
        return sum(v for k, v in result.items() if k.startswith("errors_"))

    summary: dict = {
        "bare": {
            "rps": round(harness.median([s["rps"] for s in bare_slices]), 1),
            "rps_per_slice": [round(s["rps"], 1) for s in bare_slices],
            "p95_ms": round(harness.median([s["p95_ms"] for s in bare_slices]), 2),
            "p99_ms": round(harness.median([s["p99_ms"] for s in bare_slices]), 2),
            "errors": sum(errors(s) for s in bare_slices),
        }
    }
    for kind, by_page in raw.items():
        summary[kind] = {}
        for page, parts in by_page.items():
            summary[kind][page] = {
                "rps": round(harness.median([p["rps"] for p in parts]), 1),
                "ratio_to_bare": round(harness.median([p["ratio_to_bare"] for p in parts]), 3),
                "ratios_per_round": [round(p["ratio_to_bare"], 3) for p in parts],
                "p50_ms": round(harness.median([p["p50_ms"] for p in parts]), 2),
                "p95_ms": round(harness.median([p["p95_ms"] for p in parts]), 2),
                "p99_ms": round(harness.median([p["p99_ms"] for p in parts]), 2),
                "errors": sum(errors(p) for p in parts),
            }
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=harness.DEFAULT_REDIS_URL)
    parser.add_argument("--seconds", type=float, default=10, help="length of each wrk slice")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections")
    parser.add_argument("--requests", type=int, default=20, help="in-process timings per page")
    parser.add_argument("--sessions", type=int, default=8, help="sessions per visitor kind")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-load", action="store_true", help="in-process figures only")
    parser.add_argument(
        "--no-page-times", action="store_true", help="queries only (bench/growth.py times pages)"
    )
    parser.add_argument("--out")
    args = parser.parse_args()
    out = Path(args.out or harness.RESULTS / f"catalog-{args.products}.json")

    env = inprocess.start_django(args.database_url, args.redis_url)
    sample, vocab, visitors = inprocess.seeded_site(args.products, args.sessions)
    report: dict = {"products": sample["products"], "visitors": list(visitors)}

    print("Counting queries per page and visitor kind (cache miss, 24 and 96 items)...", flush=True)
    report["queries"] = query_counts(visitors, count_pages(sample, vocab))
    if not args.no_page_times:
        report["in_process"] = inprocess.page_times(
            visitors, inprocess.growth_pages(sample, vocab), args.requests
        )
        report["search"] = inprocess.search_times(vocab, max(args.requests, 30))

    if not args.no_load:
        harness.wrk_binary()
        pages = page_lists(sample, vocab)
        with harness.Server(env, args.port) as server:
            report["web_workers"] = server.workers
            print(f"gunicorn: {server.workers} workers; checking and warming every page...")
            check_pages(args.port, visitors, pages)
            report["load"] = measure_load(args.port, visitors, pages, args)
            report["load_settings"] = {
                "seconds_per_slice": args.seconds,
                "rounds": args.rounds,
                "connections": args.connections,
            }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print_report(report)
    print(f"Written to {out}")


def print_report(report: dict) -> None:
    print(f"\nCatalog benchmark, {report['products']:,} published products")
    load = report.get("load")
    if load:
        print(
            f"bare view: {load['bare']['rps']:.0f} req/s (slices {load['bare']['rps_per_slice']})"
        )
    print(f"{'page':<18}{'visitor':<14}{'req/s':>8}{'× bare':>8}{'p95 ms':>8}{'p99 ms':>8}"
          f"{'q 24/96':>9}{'miss ms':>9}")  # fmt: skip
    for kind in report["visitors"]:
        for page, counts in report["queries"][kind].items():
            r = (load or {}).get(kind, {}).get(page)
            timing = report.get("in_process", {}).get(kind, {}).get(page, {})
            print(
                f"{page:<18}{kind:<14}"
                + (f"{r['rps']:>8.0f}{r['ratio_to_bare']:>8.2f}{r['p95_ms']:>8.1f}{r['p99_ms']:>8.1f}"
                   if r else f"{'':>32}")
                + f"{counts['24']!s:>5}/{counts['96']!s:<3}{timing.get('median_ms', ''):>9}"
            )  # fmt: skip


if __name__ == "__main__":
    main()
