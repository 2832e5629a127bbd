"""Page weight: bytes a phone downloads for the home and catalog pages, before and with images.

    .venv/bin/python bench/pageweight.py --database-url postgres://…/batik_bench

Serves the benchmark database with gunicorn (production settings; product photos from a
temporary media folder through WhiteNoise), loads each page in headless Chromium at 360×740
and adds up the bytes transferred (headers and encoded bodies): once with images blocked,
once with them, after the page has settled. Writes bench/results/pageweight.json.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGES = {"home": "/", "catalog": "/batik/"}


def make_media(root: Path) -> None:
    """The photo files the seeded products point at: a patterned JPEG and its WebP thumbnails."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 1200), "#f3e3c3")
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 40):
        for j in range(0, 1200, 40):
            colour = ("#5a3519", "#1c2a4a", "#a0522d")[(i * 7 + j * 3) // 40 % 3]
            draw.ellipse((i + 4, j + 4, i + 34 + (i * j) % 7, j + 30), outline=colour, width=3)
    products = root / "products"
    products.mkdir(parents=True, exist_ok=True)
    image.save(products / "bench.jpg", quality=82)
    for width in (320, 640):
        image.resize((width, width)).save(products / f"bench-{width}.webp", quality=75)


def measure(port: int) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, path in PAGES.items():
                results[name] = {}
                for label, block_images in (("before_images", True), ("with_images", False)):
                    context = browser.new_context(viewport={"width": 360, "height": 740})
                    page = context.new_page()
                    sizes: list[int] = []
                    if block_images:
                        page.route(
                            "**/*",
                            lambda route: (
                                route.abort()
                                if route.request.resource_type == "image"
                                else route.continue_()
                            ),
                        )

                    def finished(request, sizes=sizes):
                        size = request.sizes()
                        sizes.append(size["responseBodySize"] + size["responseHeadersSize"])

                    page.on("requestfinished", finished)
                    page.goto(f"http://127.0.0.1:{port}{path}", wait_until="networkidle")
                    page.mouse.wheel(0, 2000)  # lazy images below the fold, as a buyer scrolls
                    page.wait_for_load_state("networkidle")
                    time.sleep(0.3)
                    results[name][label] = {"bytes": sum(sizes), "requests": len(sizes)}
                    context.close()
        finally:
            browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/batik_bench"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
    )
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--out", default=str(BASE_DIR / "bench/results/pageweight.json"))
    args = parser.parse_args()

    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    static = Path(tempfile.mkdtemp(prefix="bench-static-"))
    make_media(media)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "CACHE_KEY_PREFIX": "bench-weight",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(static),
        "MEDIA_ROOT": str(media),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
    }
    python = str(BASE_DIR / ".venv/bin/python")
    subprocess.run(
        [python, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [str(BASE_DIR / ".venv/bin/gunicorn"), "bench.media_wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{args.port}", "--log-level", "warning"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        import http.client

        deadline = time.monotonic() + 30
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("gunicorn did not start for the page-weight run")
                time.sleep(0.3)
        results = measure(args.port)
    finally:
        server.terminate()
        server.wait(timeout=15)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    for name, figures in results.items():
        print(
            f"{name:<8} before images {figures['before_images']['bytes'] / 1024:6.1f} KB, "
            f"with images {figures['with_images']['bytes'] / 1024:6.1f} KB"
        )


if __name__ == "__main__":
    main()
