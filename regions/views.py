"""The regions inside a region, for the address selects that fill in place (JSON)."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .models import regions_inside


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def children(request, code: str = ""):
    """[[code, name], ...] of the regions inside a region: public names, the same for everyone."""
    regions = regions_inside(code)
    if regions is None:
        raise Http404
    return JsonResponse({"children": list(regions.values_list("code", "name"))})
