"""Signals other apps listen to; artisans imports none of them."""

from django.dispatch import Signal

# Sent after commit when buyers would see a shop differently (approved, rejected, verified, on or
# back from vacation, profile edited). Arguments: shop_ids (list of int).
shop_changed = Signal()
