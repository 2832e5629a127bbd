"""A one-tap link tapped twice at once (a double tap, two phones) moves the order once."""

import pytest
from django.core import signing

from orders import onetap, routing
from orders.models import OneTapLink, SubOrder, SubOrderEvent
from tests.concurrency import all_at_once, requires_row_locks
from tests.notifications.test_whatsapp import two_maker_order
from tests.notifications.whatsapp_server import (  # noqa: F401 (fixtures)
    fake_whatsapp_fixture,
    whatsapp_server_fixture,
)

pytestmark = [pytest.mark.django_db(transaction=True), requires_row_locks]


def test_two_taps_at_once_accept_once_and_the_other_is_told(fake_whatsapp):
    order, paku, _sawit = two_maker_order()
    routing.route_order(order=order)
    link = OneTapLink.objects.get(suborder__shop=paku)
    token = signing.TimestampSigner(salt=onetap.SALT).sign(link.nonce)

    results = all_at_once(
        2, lambda _index: onetap.use_link(token=token, to=SubOrder.Status.ACCEPTED)
    )

    accepted = [result for result in results if isinstance(result, SubOrder)]
    refused = [result for result in results if isinstance(result, onetap.LinkUnusable)]
    assert len(accepted) == 1 and len(refused) == 1 and refused[0].reason == "used"
    suborder = SubOrder.objects.get(shop=paku)
    assert suborder.status == SubOrder.Status.ACCEPTED
    assert SubOrderEvent.objects.filter(suborder=suborder, to_status="accepted").count() == 1
