import logging

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import run_checks

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request):
    """200 when the database and broker answer, 503 naming what failed otherwise.

    Only staff see why a check failed: an error's text can name hosts, ports and versions. The
    detail is always in the log.
    """
    checks = run_checks()
    failed = [name for name, state in checks.items() if state != "ok"]
    status = 503 if failed else 200
    for name in failed:
        logger.warning("Health check %s failed: %s", name, checks[name])
    user = getattr(request, "user", None)
    if not (user is not None and user.is_authenticated and user.is_staff):
        checks = {name: "ok" if state == "ok" else "error" for name, state in checks.items()}
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
