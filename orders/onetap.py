"""One-tap links: a maker accepts or declines one new sub-order from WhatsApp, without a password.

A link is a signed, dated nonce (`django.core.signing`), bound by its row (`OneTapLink`) to one
sub-order and one maker. It opens a confirm page that can do nothing but accept or decline that
sub-order as that maker, through `lifecycle.transition_suborder` and its rules; the row is marked
used in the same transaction as the move, so a link works once, and not after
ORDER_ONE_TAP_LINK_HOURS.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from core import links

from . import lifecycle
from .locking import only_own_rows
from .models import OneTapLink, SubOrder

SALT = "orders.one-tap-link"
# What the page may do with a link, and nothing else.
MOVES = (SubOrder.Status.ACCEPTED, SubOrder.Status.DECLINED)


class LinkUnusable(Exception):
    """The link cannot be used: `reason` is forged, expired, used, other-account or closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IssuedLink:
    row: OneTapLink
    token: str


def lifetime() -> timedelta:
    return timedelta(hours=settings.ORDER_ONE_TAP_LINK_HOURS)


def new_link(*, suborder: SubOrder, user, now=None) -> IssuedLink:
    """A link for `user` to answer `suborder` (not saved: the caller bulk-inserts the rows)."""
    now = now or timezone.now()
    nonce = secrets.token_urlsafe(24)
    row = OneTapLink(
        suborder=suborder, user=user, nonce=nonce, created_at=now, expires_at=now + lifetime()
    )
    return IssuedLink(row=row, token=signing.TimestampSigner(salt=SALT).sign(nonce))


def token_for(link: OneTapLink) -> str:
    """A fresh signature of an issued link's nonce: the same single-use link, sent again."""
    return signing.TimestampSigner(salt=SALT).sign(link.nonce)


def save_links(issued: list[IssuedLink]) -> None:
    """Insert the links' rows at once; a maker's existing link for a sub-order is kept."""
    OneTapLink.objects.bulk_create([link.row for link in issued], ignore_conflicts=True)


def absolute_url(token: str) -> str:
    """The link as sent, on the site's address, in the active language."""
    return settings.SITE_URL + links.url("shop-order-one-tap", token)


def _nonce(token: str) -> str:
    try:
        return signing.TimestampSigner(salt=SALT).unsign(token, max_age=lifetime())
    except signing.SignatureExpired as error:
        raise LinkUnusable("expired") from error
    except signing.BadSignature as error:
        raise LinkUnusable("forged") from error


def _check(link: OneTapLink | None, *, user) -> OneTapLink:
    if link is None:
        raise LinkUnusable("forged")
    if link.used_at is not None:
        raise LinkUnusable("used")
    if link.expires_at <= timezone.now():
        raise LinkUnusable("expired")
    if user is not None and user.is_authenticated and user.pk != link.user_id:
        # Opened while signed in as someone else: the link is not theirs to use.
        raise LinkUnusable("other-account")
    if not link.suborder.shop.has_member(link.user):
        raise LinkUnusable("other-account")
    if link.suborder.status != SubOrder.Status.NEW:
        raise LinkUnusable("closed")
    return link


def open_link(token: str, *, user=None) -> OneTapLink:
    """The link's row (with its sub-order, order and shop) if it can still be used, else raise."""
    nonce = _nonce(token)
    link = (
        OneTapLink.objects.select_related("suborder__order", "suborder__shop", "user")
        .filter(nonce=nonce)
        .first()
    )
    return _check(link, user=user)


def use_link(*, token: str, to: str, user=None, **fields) -> SubOrder:
    """Accept or decline the link's sub-order as its maker, and spend the link, in one go.

    `fields` are the accept or decline form's (`ready_by`, `reason`). The lifecycle's
    ValidationError leaves the link unspent, to try again within its life.
    """
    if to not in MOVES:
        raise ValueError(f"A one-tap link can only accept or decline, not {to!r}.")
    nonce = _nonce(token)
    with transaction.atomic():
        link = (
            OneTapLink.objects.select_for_update(of=only_own_rows())
            .select_related("suborder__shop", "user")
            .filter(nonce=nonce)
            .first()
        )
        _check(link, user=user)
        suborder = lifecycle.transition_suborder(
            suborder=link.suborder, to=to, by=link.user, as_role="artisan", **fields
        )
        OneTapLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    return suborder


def send_answer_reminders(*, now=None) -> int:
    """Remind makers of new sub-orders they have not answered, once per link; how many.

    After ORDER_ANSWER_REMINDER_HOURS without an answer, each maker who got a one-tap link is
    reminded (in-app and WhatsApp) with that same link, while it still lives. Safe to run at
    once from two workers: a conditional update claims each link before its notice is written.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.ORDER_ANSWER_REMINDER_HOURS)
    due = OneTapLink.objects.filter(
        used_at=None,
        reminded_at=None,
        expires_at__gt=now,
        created_at__lte=cutoff,
        suborder__status=SubOrder.Status.NEW,
    ).order_by("pk")
    return sum(1 for pk in list(due.values_list("pk", flat=True)[:500]) if _remind(pk, now))


def _remind(pk: int, now) -> bool:
    from . import notices

    with transaction.atomic():
        if not OneTapLink.objects.filter(pk=pk, reminded_at=None, used_at=None).update(
            reminded_at=now
        ):
            return False
        link = OneTapLink.objects.select_related("suborder__order", "suborder__shop", "user").get(
            pk=pk
        )
        notices.notify_maker_of_answer_reminder(link=link, token=token_for(link))
    return True
