from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import run_checks


@never_cache
@require_GET
def healthz(request):
    """200 when the database and broker answer, 503 naming what failed otherwise."""
    checks = run_checks()
    failed = [name for name, state in checks.items() if state != "ok"]
    status = 503 if failed else 200
    return JsonResponse(
        {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}, status=status
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /akun/",
        "Disallow: /pesanan/",
        "Disallow: /dasbor/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
