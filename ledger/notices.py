"""What the ledger tells artisans, each message in its reader's language, sent once per key."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_noop

from core import links
from core.phrases import phrase
from core.templatetags.money import format_rupiah
from notifications import whatsapp
from notifications.services import Message, language_of, notify
from orders.notices import maker_phone

from .models import Payout


def notify_payout_paid(*, payout: Payout) -> int:
    """One notification (and email) per member of the shop; return how many members."""
    members = [membership.user for membership in payout.shop.memberships.select_related("user")]
    for user in members:
        with translation.override(language_of(user)):
            message = Message(
                kind="payout-paid",
                title=phrase(
                    gettext_noop("Payout of %(amount)s transferred"),
                    amount=format_rupiah(payout.amount),
                ),
                body=phrase(
                    gettext_noop(
                        "The cooperative transferred %(amount)s to %(bank)s %(number)s "
                        "(%(holder)s). Transfer reference: %(reference)s."
                    ),
                    amount=format_rupiah(payout.amount),
                    bank=payout.bank_name,
                    number=payout.account_number,
                    holder=payout.account_holder,
                    reference=payout.transfer_reference,
                ),
                url=links.url("shop-payout", payout.pk),
                email_template="payout_paid",
                # The approved template's body: amount, bank, account number, reference, link.
                whatsapp_kind=whatsapp.PAYMENT,
                whatsapp_parameters=(
                    format_rupiah(payout.amount),
                    payout.bank_name,
                    payout.account_number,
                    payout.transfer_reference,
                    settings.SITE_URL + links.url("shop-payout", payout.pk),
                ),
            )
            notify(
                key=f"payout-paid-{payout.pk}-{user.pk}",
                message=message,
                recipient=user,
                phone=maker_phone(user=user, shop=payout.shop),
            )
    return len(members)
