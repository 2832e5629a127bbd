"""Made-to-order work on its way: "Mulai dikerjakan" with a photo, and photos while working.

The buyer sees the photos on the order's timeline; they show the piece is made by hand.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.images import validate_and_reencode

from . import lifecycle
from .models import ProgressPhoto, SubOrder

# Stages a photo can be of while the work is under way (started and finished have their moves).
WORKING = (SubOrder.Status.IN_PROGRESS, SubOrder.Status.READY)


def start_work(*, suborder: SubOrder, by, photo, caption: str = "") -> SubOrder:
    """The maker starts the work, with a first photo; the down payment becomes theirs."""
    image = validate_and_reencode(photo)
    with transaction.atomic():
        suborder = lifecycle.transition_suborder(
            suborder=suborder, to=SubOrder.Status.IN_PROGRESS, by=by, as_role="artisan"
        )
        _save_photo(suborder, ProgressPhoto.Stage.STARTED, image, caption)
    return suborder


def add_progress_photo(
    *, suborder: SubOrder, by, stage: str, photo, caption: str = ""
) -> ProgressPhoto:
    """A photo of the work under way ("canting", "pewarnaan", "pelorodan"), by the shop's maker."""
    if not suborder.shop.has_member(by):
        raise ValidationError(_("You may not change this order."), code="not_allowed")
    if suborder.status not in WORKING:
        raise ValidationError(
            _("Photos can be added while the work is in progress."), code="not_working"
        )
    if stage not in ProgressPhoto.Stage.values:
        raise ValidationError(_("Choose what the photo shows."), code="stage")
    return _save_photo(suborder, stage, validate_and_reencode(photo), caption)


def _save_photo(suborder: SubOrder, stage: str, image, caption: str) -> ProgressPhoto:
    photo = ProgressPhoto(suborder=suborder, stage=stage, caption=caption.strip()[:200])
    photo.image.save(image.name, image, save=True)
    return photo
