"""A maker's one-tap link from WhatsApp accepts or declines one new order, once, and no more."""

from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from orders import onetap, routing
from orders.models import OneTapLink, SubOrder, SubOrderEvent
from tests.notifications.test_whatsapp import two_maker_order
from tests.notifications.whatsapp_server import (  # noqa: F401 (fixtures)
    fake_whatsapp_fixture,
    whatsapp_server_fixture,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def routed(fake_whatsapp):
    """A routed two-maker order; the path of each owner's one-tap link, by shop."""
    order, paku, sawit = two_maker_order()
    routing.route_order(order=order)
    paths = {}
    for shop in (paku, sawit):
        link = OneTapLink.objects.get(suborder__shop=shop)
        token = signing.TimestampSigner(salt=onetap.SALT).sign(link.nonce)
        paths[shop] = f"/dasbor/pesanan/wa/{token}/"
    return order, paku, sawit, paths


def _suborder(shop) -> SubOrder:
    return SubOrder.objects.get(shop=shop)


def test_the_link_accepts_once_without_a_password_then_is_dead(routed):
    order, paku, _sawit, paths = routed
    phone = Client()  # the maker's phone: not signed in

    # when the maker opens the link, the page shows the order and asks
    page = phone.get(paths[paku])
    assert page.status_code == 200
    assert order.reference in page.text and "Terima pesanan" in page.text
    assert _suborder(paku).status == SubOrder.Status.NEW  # opening it changed nothing

    # when they accept, the sub-order is accepted by them, as from the dashboard
    done = phone.post(paths[paku], {"action": "accept"})
    assert done.status_code == 200 and "Pesanan diterima" in done.text
    suborder = _suborder(paku)
    assert suborder.status == SubOrder.Status.ACCEPTED
    event = SubOrderEvent.objects.get(suborder=suborder, to_status=SubOrder.Status.ACCEPTED)
    assert event.actor == paku.owner

    # then the link is dead: reopened or posted again, it says so and changes nothing
    for again in (
        phone.get(paths[paku]),
        phone.post(paths[paku], {"action": "decline", "reason": "x"}),
    ):
        assert again.status_code == 410
        assert "Tautan ini tidak dapat digunakan" in again.text and "sudah dipakai" in again.text
    assert _suborder(paku).status == SubOrder.Status.ACCEPTED
    assert (
        SubOrderEvent.objects.filter(
            suborder=suborder, to_status__in=["accepted", "declined"]
        ).count()
        == 1
    )


def test_the_link_declines_with_the_dashboards_rules(routed):
    _order, paku, _sawit, paths = routed
    phone = Client()
    # the decline form asks a reason, as in the dashboard; the link stays usable meanwhile
    without = phone.post(paths[paku], {"action": "decline", "reason": ""})
    assert without.status_code == 200 and _suborder(paku).status == SubOrder.Status.NEW
    declined = phone.post(paths[paku], {"action": "decline", "reason": "Kain habis"})
    assert declined.status_code == 200
    suborder = _suborder(paku)
    assert suborder.status == SubOrder.Status.DECLINED and suborder.decline_reason == "Kain habis"


def test_an_expired_link_changes_nothing(routed, settings):
    _order, paku, sawit, paths = routed
    # one link past its row's end, the other past its signature's age
    OneTapLink.objects.filter(suborder__shop=paku).update(expires_at=timezone.now())
    for shop in (paku, sawit):
        if shop is sawit:
            settings.ORDER_ONE_TAP_LINK_HOURS = 0
        response = Client().post(paths[shop], {"action": "accept"})
        assert response.status_code == 410 and "kedaluwarsa" in response.text
        assert _suborder(shop).status == SubOrder.Status.NEW


def test_a_forged_link_changes_nothing(routed):
    _order, paku, _sawit, paths = routed
    token = paths[paku].rstrip("/").rsplit("/", 1)[1]
    nonce, _stamp, signature = token.split(":")
    unknown = signing.TimestampSigner(salt=onetap.SALT).sign("a-nonce-never-issued")
    for forged in (
        f"{nonce}x:{_stamp}:{signature}",
        f"{nonce}:{_stamp}:{signature[::-1]}",
        unknown,
    ):
        response = Client().post(f"/dasbor/pesanan/wa/{forged}/", {"action": "accept"})
        assert response.status_code == 404 and "tidak sah" in response.text
        assert "/akun/" in response.text  # a way to log in instead
    assert _suborder(paku).status == SubOrder.Status.NEW


def test_another_makers_link_changes_nothing(routed):
    _order, paku, sawit, paths = routed
    # the maker of the other shop, signed in, opens and posts the first maker's link
    other = Client()
    other.force_login(sawit.owner)
    for response in (other.get(paths[paku]), other.post(paths[paku], {"action": "accept"})):
        assert response.status_code == 403 and "akun pembatik lain" in response.text
    # and a maker no longer in the shop cannot use the link they were sent
    paku.memberships.filter(user=paku.owner).delete()
    assert Client().post(paths[paku], {"action": "accept"}).status_code == 403
    assert _suborder(paku).status == SubOrder.Status.NEW


def test_a_link_answers_only_its_own_sub_order_and_only_accept_or_decline(routed):
    _order, paku, sawit, paths = routed
    token = paths[paku].rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(ValueError):
        onetap.use_link(token=token, to=SubOrder.Status.SHIPPED)
    # accepting with the first link leaves the other shop's sub-order alone
    onetap.use_link(token=token, to=SubOrder.Status.ACCEPTED)
    assert _suborder(sawit).status == SubOrder.Status.NEW
    assert _suborder(paku).status == SubOrder.Status.ACCEPTED


def test_an_unanswered_order_is_reminded_once_with_the_same_link(routed, settings, fake_whatsapp):
    from notifications.models import Notification
    from notifications.services import send_pending_whatsapp

    order, paku, sawit, paths = routed
    send_pending_whatsapp()
    # the first maker answers at once; the second has not answered after 12 hours
    Client().post(paths[paku], {"action": "accept"})
    later = timezone.now() + timedelta(hours=settings.ORDER_ANSWER_REMINDER_HOURS, minutes=1)
    assert onetap.send_answer_reminders(now=later) == 1
    assert onetap.send_answer_reminders(now=later) == 0

    assert Notification.objects.filter(kind="order-answer-reminder").get().recipient == sawit.owner
    assert send_pending_whatsapp() == 1
    reminder = fake_whatsapp.messages()[-1]
    assert reminder["template"] == "pengingat" and reminder["to"] == "6281250000002"
    assert reminder["parameters"][:2] == [sawit.name, order.reference]
    assert "WITA" in reminder["parameters"][2]
    nonce = paths[sawit].split("/wa/")[1].split(":")[0]
    assert f"/wa/{nonce}:" in reminder["parameters"][3]
    # the reminder's link is the same single-use link: it accepts, then is dead
    link = OneTapLink.objects.get(suborder__shop=sawit)
    assert link.reminded_at is not None
    reminded = Client().post(paths[sawit], {"action": "accept"})
    assert reminded.status_code == 200
    assert _suborder(sawit).status == SubOrder.Status.ACCEPTED
    assert onetap.send_answer_reminders(now=later + timedelta(hours=1)) == 0


def test_made_to_order_work_needs_a_ready_date_and_the_link_waits_for_it(routed):
    _order, paku, _sawit, paths = routed
    SubOrder.objects.get(shop=paku).lines.update(is_made_to_order=True, lead_time_days=21)
    phone = Client()

    without = phone.post(paths[paku], {"action": "accept"})
    assert without.status_code == 200 and "Isi tanggal batik" in without.text
    assert _suborder(paku).status == SubOrder.Status.NEW

    ready_by = (timezone.localdate() + timedelta(days=21)).isoformat()
    assert phone.post(paths[paku], {"action": "accept", "ready_by": ready_by}).status_code == 200
    suborder = _suborder(paku)
    assert suborder.status == SubOrder.Status.ACCEPTED and suborder.ready_by.isoformat() == ready_by


def test_a_link_to_an_order_answered_in_the_dashboard_changes_nothing(routed):
    from orders import lifecycle

    _order, paku, _sawit, paths = routed
    lifecycle.transition_suborder(
        suborder=_suborder(paku), to=SubOrder.Status.DECLINED, by=paku.owner, reason="Kain habis"
    )
    response = Client().post(paths[paku], {"action": "accept"})
    assert response.status_code == 410 and "tidak lagi menunggu" in response.text
    assert _suborder(paku).status == SubOrder.Status.DECLINED
