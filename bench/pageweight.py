"""Page weight: bytes a phone downloads for the home and catalog pages, before and with images.

    .venv/bin/python bench/pageweight.py --database-url postgres://…/batik_bench

Serves the benchmark database with gunicorn (production settings and worker count; product photos from a
temporary media folder through WhiteNoise), loads each page in headless Chromium at 360×740
and adds up the bytes transferred (headers and encoded bodies): once with images blocked,
once with them, after the page has settled. Writes bench/results/pageweight.json.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

import harness

BASE_DIR = harness.BASE_DIR
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
    parser.add_argument("--database-url", default=harness.DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=harness.DEFAULT_REDIS_URL)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--out", default=str(BASE_DIR / "bench/results/pageweight.json"))
    args = parser.parse_args()

    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    make_media(media)
    # Production settings; Chromium speaks plain HTTP to gunicorn here, so no redirect to HTTPS
    # (bytes are measured, not speed).
    env = harness.production_env(
        database_url=args.database_url,
        redis_url=args.redis_url,
        CACHE_KEY_PREFIX="bench-weight",
        MEDIA_ROOT=str(media),
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    harness.collect_static(env)
    with harness.Server(env, args.port, app="bench.media_wsgi:application"):
        results = measure(args.port)
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
