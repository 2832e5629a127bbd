"""Catalog benchmark: seed N products, serve with gunicorn, load pages, compare with a bare view.

    .venv/bin/python bench/catalog.py --products 10000

Runs on a dedicated PostgreSQL database (created if missing, refused if it holds real shops) and
Redis; prints requests/s and p50/p95/p99 per page, uncached and cached, as a ratio to a bare Django
view served by the same server in the same run, and writes bench/results/catalog.json.
"""

import argparse
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/batik_bench"
BENCH_SLUG = "bench-"
SYLLABLES = ["ka", "ri", "mu", "sa", "to", "la", "pe", "di", "ng", "wa", "ro", "be", "tu", "ha"]


def progress(label: str, done: int, total: int) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    end = "\n" if done >= total else ""
    print(
        f"\r{label:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
        end=end,
        flush=True,
    )


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")


def refuse_foreign_data() -> None:
    from artisans.models import Shop

    foreign = Shop.objects.exclude(slug__startswith=BENCH_SLUG).count()
    if foreign:
        sys.exit(
            f"Refusing to run: the database holds {foreign} shops that the benchmark did not create."
        )


def words(rng: random.Random, count: int) -> list[str]:
    return ["".join(rng.choice(SYLLABLES) for _ in range(4)) for _ in range(count)]


def seed(products: int) -> dict:
    """Bulk-create shops and products (with options, motifs and an image row) up to `products`."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from artisans.models import District, Shop, ShopMember
    from catalog.models import (
        Colour,
        Fabric,
        Motif,
        Product,
        ProductImage,
        ProductOption,
        ProductType,
        Technique,
    )
    from catalog.services import rebuild_search_index

    rng = random.Random(2021)
    vocabulary = words(rng, 3000)
    motifs = [Motif.objects.get_or_create(slug=s, defaults={"name": n})[0] for s, n in [
        ("paku", "Paku"), ("telapak-tangan", "Telapak Tangan"), ("daun-singkong", "Daun Singkong"),
        ("wakaroros", "Wakaroros"), ("sawit", "Sawit")]]  # fmt: skip
    techniques = [
        Technique.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("tulis", "cap", "kombinasi")
    ]
    fabrics = [
        Fabric.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("katun-primisima", "sutra")
    ]
    types = [
        ProductType.objects.get_or_create(slug=s, defaults={"name": s.title()})[0]
        for s in ("kain", "kemeja", "selendang")
    ]
    for slug, hexcode in (("cokelat-soga", "#5a3519"), ("biru-indigo", "#1c2a4a")):
        Colour.objects.get_or_create(slug=slug, defaults={"name": slug, "hex": hexcode})

    existing = Product.objects.filter(shop__slug__startswith=BENCH_SLUG).count()
    if existing >= products:
        print(f"Database already holds {existing} benchmark products.")
        return {"vocabulary": vocabulary, "seeded": 0}
    shop_count = max(2, products // 50)
    User = get_user_model()
    with transaction.atomic():
        shops = list(Shop.objects.filter(slug__startswith=BENCH_SLUG))
        if len(shops) < shop_count:
            users = User.objects.bulk_create(
                [
                    User(email=f"bench{i}@example.com", password="!")
                    for i in range(len(shops), shop_count)
                ],
                ignore_conflicts=True,
            )
            users = list(User.objects.filter(email__startswith="bench").order_by("pk"))[
                len(shops) : shop_count
            ]
            districts = District.values
            new = [
                Shop(
                    name=f"Batik {vocabulary[i].title()} {i}", slug=f"{BENCH_SLUG}{i}", owner=user,
                    district=districts[i % len(districts)], address="Sangatta", whatsapp="+6281250000000",
                    status=Shop.Status.APPROVED, is_verified=i % 3 == 0,
                )
                for i, user in enumerate(users, start=len(shops))
            ]  # fmt: skip
            Shop.objects.bulk_create(new)
            shops = list(Shop.objects.filter(slug__startswith=BENCH_SLUG).order_by("pk"))
            ShopMember.objects.bulk_create(
                [ShopMember(shop=s, user_id=s.owner_id) for s in shops], ignore_conflicts=True
            )
    batch = 2000
    created = 0
    to_create = products - existing
    while created < to_create:
        size = min(batch, to_create - created)
        with transaction.atomic():
            rows = []
            for i in range(existing + created, existing + created + size):
                motif = motifs[i % len(motifs)]
                kind = types[i % len(types)]
                rows.append(
                    Product(
                        shop=shops[i % len(shops)], slug=f"{BENCH_SLUG}{i}",
                        title=f"{kind.name} Batik {motif.name} {vocabulary[(i * 7) % len(vocabulary)].title()}",
                        description=" ".join(rng.sample(vocabulary, 12)) + " batik tulis Kutai Timur.",
                        technique=techniques[i % 3], fabric=fabrics[i % 2], product_type=kind,
                        price=100_000 + (i % 40) * 25_000, status=Product.Status.ACTIVE,
                        is_made_to_order=i % 10 == 0, lead_time_days=14 if i % 10 == 0 else None,
                    )
                )  # fmt: skip
            saved = Product.objects.bulk_create(rows)
            Product.motifs.through.objects.bulk_create(
                [Product.motifs.through(product_id=p.pk, motif_id=motifs[k % 5].pk) for k, p in enumerate(saved, start=existing + created)]
            )  # fmt: skip
            ProductOption.objects.bulk_create(
                [ProductOption(product=p, name="", stock=(p.pk % 4)) for p in saved]
            )
            ProductImage.objects.bulk_create(
                [ProductImage(product=p, image="products/bench.jpg", width=1200, height=1200, is_primary=True,
                              thumbnails={"320": "products/bench-320.webp", "640": "products/bench-640.webp"}) for p in saved]
            )  # fmt: skip
        created += size
        progress("Seeding products", created, to_create)
    started = time.monotonic()
    print("Building the search index...", flush=True)
    rebuild_search_index()
    from django.db import connection

    with connection.cursor() as cursor:
        # VACUUM sets the visibility map, so counts can read the partial index alone.
        cursor.execute("VACUUM ANALYZE")
    print(f"  done in {time.monotonic() - started:.1f} s")
    return {"vocabulary": vocabulary, "seeded": created}


class Server:
    def __init__(self, env: dict, port: int, log: Path):
        self.port = port
        self.process = subprocess.Popen(
            [str(BASE_DIR / ".venv/bin/gunicorn"), "marketplace.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
             "--log-level", "warning"],
            cwd=BASE_DIR, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = fetch(port, "/bench/bare")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not start; see {log}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def fetch(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Language": "id"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(port: int, paths: list[str], *, requests: int, seconds: float, threads: int) -> dict:
    """Send up to `requests` GETs (cycling through paths) from `threads` threads, for at most `seconds`."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds

    def worker():
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            status, _ = fetch(port, paths[n % len(paths)])
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += status != 200

    started = time.monotonic()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.monotonic() - started
    return {
        **summarise(sorted(latencies), wall),
        "errors": errors,
        "wall": wall,
        "latencies": latencies,
    }


def measure(args, pages: dict[str, list[str]], mode: str) -> dict:
    """Each page in `args.rounds` slices, each slice right after a slice of the bare view.

    Other work on the machine comes and goes; a ratio taken between neighbouring slices, then
    the median over rounds, holds up far better than one long run per page.
    """
    slices: dict[str, list[dict]] = {name: [] for name in pages}
    ratios: dict[str, list[float]] = {name: [] for name in pages}
    names = [name for name in pages if name != "bare"]
    steps = args.rounds * len(names)
    step = 0
    per_slice = max(20, args.requests // args.rounds)
    seconds = args.seconds / args.rounds
    for _round in range(args.rounds):
        for name in names:
            progress(f"Loading ({mode})", step, steps)
            bare = load(
                args.port,
                pages["bare"],
                requests=per_slice * 4,
                seconds=seconds,
                threads=args.threads,
            )
            page = load(
                args.port, pages[name], requests=per_slice, seconds=seconds, threads=args.threads
            )
            slices["bare"].append(bare)
            slices[name].append(page)
            ratios[name].append(page["rps"] / (bare["rps"] or 1))
            step += 1
    progress(f"Loading ({mode})", steps, steps)
    results = {}
    for name, parts in slices.items():
        latencies = sorted(x for part in parts for x in part.pop("latencies"))
        results[name] = summarise(latencies, sum(part["wall"] for part in parts))
        results[name]["errors"] = sum(part["errors"] for part in parts)
        results[name]["ratio_to_bare"] = (
            statistics.median(ratios[name]) if name in ratios and ratios[name] else 1.0
        )
        results[name]["ratios_per_round"] = [round(r, 3) for r in ratios.get(name, [])]
    return results


def summarise(latencies: list[float], wall: float) -> dict:
    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0.0
        )

    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall if wall else 0.0,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
    }


def search_timings(vocabulary: list[str], rounds: int = 40) -> dict:
    """In-process p95 of the search queries themselves (matches + one page of cards), selective and broad."""
    from django.http import QueryDict

    from catalog import selectors

    results = {}
    for label, terms in (("selective", vocabulary[5:25]), ("broad", ["batik", "kain", "tulis"])):
        times = []
        for i in range(rounds):
            query = selectors.CatalogQuery.from_querydict(QueryDict(f"q={terms[i % len(terms)]}"))
            started = time.perf_counter()
            page, _result = selectors.catalog_page(query, 1)  # as the catalog view does
            list(page.object_list)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[label] = {
            "p50_ms": times[len(times) // 2],
            "p95_ms": times[int(0.95 * len(times)) - 1],
        }
    return results


def query_counts() -> dict:
    """Queries per page (uncached, signed out) at 24 and 96 items, counted in this process."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from catalog.models import Product

    settings.CATALOG_PAGE_CACHE = False
    client = Client(HTTP_ACCEPT_LANGUAGE="id", HTTP_HOST="127.0.0.1")
    slug = Product.objects.published().values_list("slug", flat=True).first()
    counts = {}
    for name, path in (
        ("home", "/"),
        ("catalog-24", "/batik/?per_page=24"),
        ("catalog-96", "/batik/?per_page=96"),
        ("search-24", "/batik/?q=batik"),
        ("search-96", "/batik/?q=batik&per_page=96"),
        ("product", f"/batik/{slug}/"),
    ):
        client.get(path)  # the per-process taxonomy is loaded once, like a warm server
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        counts[name] = len(queries) if status == 200 else None
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
    )
    parser.add_argument("--requests", type=int, default=600, help="requests per page and mode")
    parser.add_argument("--seconds", type=float, default=15, help="time limit per page and mode")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rounds", type=int, default=3, help="bare/page slices per page and mode")
    parser.add_argument(
        "--skip-load", action="store_true", help="seed and time search queries only"
    )
    parser.add_argument("--out", default=str(BASE_DIR / "bench/results/catalog.json"))
    args = parser.parse_args()
    if urlparse(args.database_url).hostname not in {"127.0.0.1", "localhost", "::1"}:
        sys.exit("The benchmark runs only against a database on this machine.")

    ensure_database(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CACHE_KEY_PREFIX": "bench",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="bench-static-"),
        "BENCH_BARE_VIEW": "1",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    refuse_foreign_data()
    call_command("collectstatic", "--no-input", verbosity=0)
    seeded = seed(args.products)
    vocabulary = seeded["vocabulary"]

    from catalog.models import Product

    total = Product.objects.published().count()
    rng = random.Random(7)
    slugs = list(Product.objects.published().order_by("?").values_list("slug", flat=True)[:300])
    pages = {
        "bare": ["/bench/bare"],
        "catalog": ["/batik/", "/batik/?page=2", "/batik/?motif=paku", "/batik/?sort=price-asc",
                    "/batik/?technique=tulis&verified=1", "/batik/?per_page=96"],
        "search-selective": [f"/batik/?q={w}" for w in vocabulary[5:25]],
        "search-broad": ["/batik/?q=batik", "/batik/?q=kain", "/batik/?q=tulis"],
        "product": [f"/batik/{slug}/" for slug in slugs],
    }  # fmt: skip
    rng.shuffle(pages["product"])
    log = BASE_DIR / "bench/results/gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    report: dict = {"products": total, "modes": {}, "load_average": os.getloadavg()}
    if args.skip_load:
        pages = {}
    for mode, cached in (("uncached", "0"), ("cached", "1")):
        if not pages:
            break
        server = Server({**env, "CATALOG_PAGE_CACHE": cached}, args.port, log)
        try:
            for paths in pages.values():  # warm up: the code paths and, when cached, the cache
                for path in paths:
                    fetch(args.port, path)
            report["modes"][mode] = measure(args, pages, mode)
        finally:
            server.stop()
    report["search_queries"] = search_timings(vocabulary)
    report["query_counts"] = query_counts()

    print(
        f"\nCatalog benchmark: {total} published products, gunicorn 2 workers, {args.threads} client threads"
    )
    print(
        f"{'page':<18}{'mode':<10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'× bare':>8}{'errors':>8}"
    )
    for mode, results in report["modes"].items():
        for name, r in results.items():
            print(
                f"{name:<18}{mode:<10}{r['rps']:>8.0f}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['ratio_to_bare']:>8.2f}{r['errors']:>8}"
            )
    for label, r in report["search_queries"].items():
        print(
            f"search query ({label}, in-process, {total} products): p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms"
        )
    print("queries per page:", ", ".join(f"{k} {v}" for k, v in report["query_counts"].items()))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
