"""The regions inside a region, for the address selects that fill in place (JSON)."""

from django.http import Http404, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .models import District, Province, Regency, Village

# A code's depth says what lies inside it: "" → provinces, "64" → kabupaten/kota, and so on.
CHILDREN_BY_DEPTH = {0: Province, 1: Regency, 2: District, 3: Village}


def children_of(code: str):
    """The regions directly inside `code` ("" for the provinces), by name; None past villages."""
    depth = len(code.split(".")) if code else 0
    model = CHILDREN_BY_DEPTH.get(depth)
    if model is None:
        return None
    regions = model.objects.all() if depth == 0 else model.objects.in_parent(code)
    return regions.order_by("name")


@require_GET
@cache_control(public=True, max_age=24 * 3600)
def children(request, code: str = ""):
    """[[code, name], ...] of the regions inside a region: public names, the same for everyone."""
    regions = children_of(code)
    if regions is None:
        raise Http404
    return JsonResponse({"children": list(regions.values_list("code", "name"))})
