from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Cooperative money")

    def ready(self) -> None:
        from orders.signals import suborder_status_changed

        from .receivers import record_suborder_status_change

        suborder_status_changed.connect(
            record_suborder_status_change, dispatch_uid="ledger-suborder-status"
        )
