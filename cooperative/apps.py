"""The cooperative's office: admin home figures, the impact report, the staff group."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CooperativeConfig(AppConfig):
    default = True
    name = "cooperative"
    verbose_name = _("Cooperative")

    def ready(self) -> None:
        from .staff import sync_staff_group_after_migrate

        # After every app's migrations (this app has no models, so no post_migrate of its own):
        # an app added later gets its curation permissions into the staff group on deploy.
        post_migrate.connect(sync_staff_group_after_migrate, dispatch_uid="cooperative-staff-group")


class CooperativeAdminConfig(admin_apps.AdminConfig):
    """Django admin with the cooperative's own site (title, home figures, impact report)."""

    default = False
    default_site = "cooperative.admin_site.CooperativeAdminSite"
