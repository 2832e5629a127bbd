"""Growth: each page on a cache miss at two catalog sizes, timed in turn, and search at the larger.

    .venv/bin/python bench/growth.py [--products 10000] [--growth-products 100000] [--requests 20]

Two processes, one per catalog size, each with its own database and Redis db and the site set up
in it as gunicorn runs it (bench/inprocess.py). They are driven in lockstep: request i of a page
at the small size, then at the large one (the other way round on the next request), so a change
in this machine's speed, which here moves a page's time by a third within minutes, lands on both
sides of the ratio alike. Then, at the large size, the latency of searches the cache has not seen.

Writes bench/results/growth.json (or --out): {"small": {...}, "large": {...}}, each with its
products and per visitor kind and page the median and p95 milliseconds; "large" also "search".
"""

import argparse
import contextlib
import json
import multiprocessing
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import harness

# Seeding 100k products and making the visitors may take minutes; one timing never does.
SETUP_SECONDS = 900
ANSWER_SECONDS = 120


def next_redis_db(url: str) -> str:
    """The same Redis server's next database: the larger catalog's keys apart from the smaller's."""
    parts = urlsplit(url)
    number = int(parts.path.lstrip("/") or 0) + 1
    return urlunsplit((parts.scheme, parts.netloc, f"/{number}", parts.query, parts.fragment))


def serve_timings(conn, products: int, database_url: str, redis_url: str, sessions: int) -> None:
    """The child: set the site up at `products`, then answer the parent's requests until None."""
    import inprocess

    inprocess.start_django(database_url, redis_url)
    sample, vocab, visitors = inprocess.seeded_site(products, sessions)
    pages = inprocess.growth_pages(sample, vocab)
    conn.send({"products": sample["products"], "visitors": list(visitors), "pages": list(pages)})
    while (message := conn.recv()) is not None:
        action, *rest = message
        if action == "time":
            kind, page, number = rest
            paths = pages[page]
            conn.send(inprocess.time_miss(visitors[kind][0], paths[number % len(paths)]))
        elif action == "warm":  # what loads once per process, as on a server that has run
            kind, page = rest
            inprocess.client(visitors[kind][0]).get(pages[page][0])
            conn.send(None)
        elif action == "search":
            conn.send(inprocess.search_times(vocab, rest[0]))


class Site:
    """One catalog size in its own process, asked for one timing at a time.

    A child that dies or stops answering ends the run with its exit code, never a hang.
    """

    def __init__(self, products: int, database_url: str, redis_url: str, sessions: int):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=serve_timings,
            args=(child, products, database_url, redis_url, sessions),
            daemon=True,
        )
        self.process.start()
        child.close()  # the child's end lives in the child: its exit is our end of file
        self.info = self._answer(SETUP_SECONDS)

    def _answer(self, seconds: float):
        if not self.conn.poll(seconds):
            sys.exit(f"The {self.process.name} timing process did not answer in {seconds:g} s.")
        try:
            return self.conn.recv()
        except EOFError:
            self.process.join(5)
            sys.exit(f"The timing process stopped (exit {self.process.exitcode}); see above.")

    def ask(self, *message):
        self.conn.send(message)
        return self._answer(ANSWER_SECONDS)

    def close(self) -> None:
        if self.process.is_alive():
            with contextlib.suppress(OSError):
                self.conn.send(None)
            self.process.join(30)


def interleaved_times(small: Site, large: Site, requests: int) -> tuple[dict, dict]:
    """Per visitor kind and page, the two sites' timings, request by request in turn."""
    import inprocess

    times: tuple[dict, dict] = ({}, {})
    visitors, pages = small.info["visitors"], small.info["pages"]
    steps, step = len(visitors) * len(pages), 0
    label = f"Timing pages, {small.info['products']:,} ⇄ {large.info['products']:,}"
    for kind in visitors:
        for side in times:
            side[kind] = {}
        for page in pages:
            harness.progress(label, step, steps)
            elapsed: tuple[list, list] = ([], [])
            errors = [0, 0]
            for site in (small, large):
                site.ask("warm", kind, page)
            for number in range(requests):
                order = (0, 1) if number % 2 == 0 else (1, 0)
                for index in order:
                    ms, status = (small, large)[index].ask("time", kind, page, number)
                    elapsed[index].append(ms)
                    errors[index] += status != 200
            for index, side in enumerate(times):
                side[kind][page] = inprocess.timing_summary(elapsed[index], errors[index])
            step += 1
    harness.progress(label, steps, steps)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--growth-products", type=int, default=100_000)
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--growth-database-url", help="default: --database-url + _<N>k")
    parser.add_argument("--redis-url", default=harness.DEFAULT_REDIS_URL)
    parser.add_argument("--growth-redis-url", help="default: the next db of --redis-url")
    parser.add_argument("--requests", type=int, default=20, help="timings per page and size")
    parser.add_argument("--sessions", type=int, default=1, help="sessions per visitor kind")
    parser.add_argument("--out")
    args = parser.parse_args()
    out = Path(args.out or harness.RESULTS / "growth.json")
    large_url = args.growth_database_url or (f"{args.database_url}_{args.growth_products // 1000}k")

    large_redis_url = args.growth_redis_url or next_redis_db(args.redis_url)
    # One after the other: each seeds its database first when it is empty.
    with contextlib.ExitStack() as stack:
        small = Site(args.products, args.database_url, args.redis_url, args.sessions)
        stack.callback(small.close)
        large = Site(args.growth_products, large_url, large_redis_url, args.sessions)
        stack.callback(large.close)
        small_times, large_times = interleaved_times(small, large, args.requests)
        print("Timing new searches at the larger size...", flush=True)
        search = large.ask("search", max(args.requests, 30))
    report = {
        "small": {"products": small.info["products"], "in_process": small_times},
        "large": {"products": large.info["products"], "in_process": large_times, "search": search},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    for kind in small_times:
        for page, figures in small_times[kind].items():
            a, b = figures["median_ms"], large_times[kind][page]["median_ms"]
            print(f"{page:<18}{kind:<14}{a:>8.1f} → {b:>6.1f} ms  {b / a if a else 0:.2f}×")
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
