"""The cooperative's curation of listings: hiding with a reason, showing again, featuring."""

import time
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..cache import bump_catalog_version
from ..models import Product


@transaction.atomic
def hide_product(*, product: Product, by, reason: str) -> bool:
    """Take a listing off every public page with a reason the artisan reads; False if hidden.

    The artisan's notice is written in this transaction; the worker sends its email.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the artisan a reason for hiding the listing."))
    updated = Product.objects.filter(pk=product.pk, is_hidden=False).update(
        is_hidden=True, hidden_reason=reason, hidden_at=timezone.now(), hidden_by=by
    )
    if not updated:
        return False
    product.refresh_from_db(fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    from ..notices import notify_product_hidden

    notify_product_hidden(product=product)
    transaction.on_commit(bump_catalog_version)
    return True


@transaction.atomic
def unhide_product(*, product: Product, by) -> bool:
    """Put a hidden listing back on the public pages; False when it was not hidden.

    The artisan's notice is written in this transaction; the worker sends its email.
    """
    updated = Product.objects.filter(pk=product.pk, is_hidden=True).update(
        is_hidden=False, hidden_reason="", hidden_at=None, hidden_by=None
    )
    if updated:
        product.is_hidden, product.hidden_reason = False, ""
        product.hidden_at = product.hidden_by = None
        from ..notices import notify_product_shown

        # The moment names this showing: showing it again later is told again.
        notify_product_shown(product=product, shown_at=time.time_ns() // 1000)
        transaction.on_commit(bump_catalog_version)
    return bool(updated)


def set_featured(*, product_ids: Iterable[int], is_featured: bool) -> int:
    """Mark or unmark products as featured work on the home page; returns how many changed."""
    changed = (
        Product.objects.filter(pk__in=list(product_ids))
        .exclude(is_featured=is_featured)
        .update(is_featured=is_featured)
    )
    if changed:
        transaction.on_commit(bump_catalog_version)
    return changed
