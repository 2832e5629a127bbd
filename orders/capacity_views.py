"""The ready date of a made-to-order product for a chosen quantity, asked by the product page.

The product page is cached per catalog version for signed-out visitors, so the date, which moves
with every order a shop takes, comes from here (never cached) and replaces the page's lead-time
text from static/js/site.js.
"""

from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from catalog.models import Product, ProductOption

from .capacity import ready_date_for_option

MAX_QUANTITY = 1000


def _positive_int(value: str | None, *, limit: int) -> int | None:
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= limit else None


@never_cache
@require_GET
def ready_date(request):
    """`?option=<id>&quantity=<n>` → {"ready_by": "2026-12-14", "label": "…14 Des 2026"}."""
    option_id = _positive_int(request.GET.get("option"), limit=2**31 - 1)
    quantity = _positive_int(request.GET.get("quantity", "1"), limit=MAX_QUANTITY)
    if option_id is None or quantity is None:
        return HttpResponseBadRequest(_("Give an option and a quantity from 1 to 1000."))
    option = get_object_or_404(
        ProductOption.objects.select_related("product__shop"),
        pk=option_id,
        product__in=Product.objects.published().made_to_order(),
    )
    ready_by = ready_date_for_option(option=option, quantity=quantity)
    if ready_by is None:
        raise Http404
    label = _("Made to order: ready around %(date)s") % {"date": date_format(ready_by, "j M Y")}
    return JsonResponse({"ready_by": ready_by.isoformat(), "label": label, "quantity": quantity})
