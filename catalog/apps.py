from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from artisans.signals import shop_changed

        from .receivers import refresh_changed_shops

        shop_changed.connect(refresh_changed_shops, dispatch_uid="catalog-refresh-changed-shops")
