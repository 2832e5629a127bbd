from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# On the signed-in user, from the header's one query: is this account an institution's member.
INSTITUTION_MEMBER_ATTRIBUTE = "is_institution_member"


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Institutional procurement")

    def ready(self) -> None:
        from django.db.models import Exists, OuterRef

        from orders.auth_backends import add_header_annotation

        from .models import InstitutionMember

        # The header links members to their institution's page at no query of its own.
        add_header_annotation(
            INSTITUTION_MEMBER_ATTRIBUTE,
            lambda: Exists(InstitutionMember.objects.filter(user=OuterRef("pk"))),
        )
