from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from core import links

        # The artisan's pages that lower apps link to (notices, the applicant's shop list).
        links.provide("shop-apply", "shop-apply")
        links.provide("shop-home", "dashboard:home")
        links.provide("shop-profile", "dashboard:shop-profile")
        links.provide("shop-vacation", "dashboard:shop-vacation")
        links.provide("shop-listings", "dashboard:listing-list")
        links.provide("shop-order", "dashboard:order-detail")
        links.provide("shop-order-one-tap", "dashboard:order-one-tap")
        links.provide("shop-payout", "dashboard:payout-detail")
        links.provide("shop-procurement-offer", "dashboard:procurement-offer")
