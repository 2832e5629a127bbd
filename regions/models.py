"""Indonesia's administrative regions with the Ministry of Home Affairs (Kemendagri) codes.

The rows come from the vendored data set in `regions/data` (see `load_regions`); nothing here is
typed by hand. A code is the primary key: "64" Kalimantan Timur, "64.08" Kabupaten Kutai Timur,
"64.08.04" Sangatta Utara, "64.08.04.1001" a kelurahan there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def in_parent(self, code: str):
        """The regions directly inside the region with this code (empty for an unknown code)."""
        return self.filter(parent_id=code)


class Region(models.Model):
    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    objects = RegionQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Province(Region):
    class Meta(Region.Meta):
        verbose_name = _("province")
        verbose_name_plural = _("provinces")


class Regency(Region):
    """A kabupaten or kota."""

    parent = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.CASCADE, related_name="children"
    )

    class Meta(Region.Meta):
        verbose_name = _("kabupaten / kota")
        verbose_name_plural = _("kabupaten / kota")


class District(Region):
    """A kecamatan."""

    parent = models.ForeignKey(
        Regency,
        verbose_name=_("kabupaten / kota"),
        on_delete=models.CASCADE,
        related_name="children",
    )

    class Meta(Region.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")


class Village(Region):
    """A kelurahan or desa."""

    parent = models.ForeignKey(
        District, verbose_name=_("kecamatan"), on_delete=models.CASCADE, related_name="children"
    )

    class Meta(Region.Meta):
        verbose_name = _("kelurahan / desa")
        verbose_name_plural = _("kelurahan / desa")


# A code's depth says what lies inside it: "" → provinces, "64" → kabupaten/kota, and so on.
_INSIDE_BY_DEPTH = {0: Province, 1: Regency, 2: District, 3: Village}


def regions_inside(code: str) -> models.QuerySet | None:
    """The regions directly inside `code` ("" for the provinces), by name; None below villages."""
    depth = len(code.split(".")) if code else 0
    model = _INSIDE_BY_DEPTH.get(depth)
    if model is None:
        return None
    regions = model.objects.all() if depth == 0 else model.objects.in_parent(code)
    return regions.order_by("name")
