"""The "Koperasi staff" group: curate the community, confirm payments and serve the regency's
offices (check an office, invite makers to its requests, split and quote them), nothing more."""

from django.apps import apps as global_apps
from django.db.models import Q

STAFF_GROUP = "Koperasi staff"

# Codenames per app. Apps that are not installed (yet) are skipped. No auth.* permission: the
# staff may not change users, groups or permissions, nor the site's settings.
STAFF_PERMISSIONS: dict[str, list[str]] = {
    "artisans": ["view_shop", "change_shop", "view_shopevent", "view_shopmember"],
    "catalog": [
        "view_product", "change_product", "view_productoption", "view_productimage",
        "view_collection", "add_collection", "change_collection", "delete_collection",
        "view_collectionitem", "add_collectionitem", "change_collectionitem",
        "delete_collectionitem",
        "view_motif", "add_motif", "change_motif",
        "view_technique", "add_technique", "change_technique",
        "view_fabric", "add_fabric", "change_fabric",
        "view_producttype", "add_producttype", "change_producttype",
        "view_colour", "add_colour", "change_colour",
    ],
    "orders": [
        "view_order", "change_order", "view_payment", "change_payment",
        "view_suborder", "view_orderline", "view_suborderevent",
    ],
    "reviews": ["view_productreview", "change_productreview", "view_shopreview", "change_shopreview"],
    "ledger": ["view_ledgerentry", "view_payout", "change_payout", "view_payoutaccount"],
    # The institutional flow's admin pages ask these (procurement/admin.py); what it writes goes
    # through the procurement services, so nothing here edits a request, an offer or a quote.
    "procurement": [
        "view_institution", "change_institution", "view_institutionmember",
        "view_procurementrequest", "view_requestedsize", "view_staffmember",
        "view_invitation", "add_invitation", "view_offer", "view_offeredsize",
        "view_allocation", "add_allocation",
        "view_quote", "add_quote", "view_quoteline", "view_quoteshare",
        "view_handover", "view_document",
    ],
}  # fmt: skip


def sync_staff_group(*, apps=global_apps):
    """Create the group if missing and give it every listed permission that exists; idempotent.

    Only adds: a permission the cooperative removed by hand from the group is added back, but
    nothing else the group was given is taken away.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=STAFF_GROUP)
    wanted = Q(pk__in=[])
    for app_label, codenames in STAFF_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    group.permissions.add(*Permission.objects.filter(wanted))
    return group


def sync_staff_group_after_migrate(*, using="default", **kwargs) -> None:
    sync_staff_group()
