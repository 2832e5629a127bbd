"""The cooperative's Django admin: its name, figures on the home page, and the impact report."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

# Who may read the money figures and the impact report: the cooperative's staff and admins.
FIGURES_PERMISSION = "orders.view_order"


class CooperativeAdminSite(admin.AdminSite):
    site_header = _("Koperasi Pembatik Kutai Timur")
    site_title = _("Koperasi Pembatik Kutai Timur")
    index_title = _("Curation, orders and the cooperative's figures")

    def get_urls(self):
        from . import views

        return [
            path(
                "laporan-dampak/",
                self.admin_view(views.impact_report),
                name="cooperative-impact-report",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        if request.user.has_perm(FIGURES_PERMISSION):
            from .stats import month_figures

            extra_context["figures"] = month_figures()
        return super().index(request, extra_context)
