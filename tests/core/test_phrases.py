"""Stored event text (timeline notes, ledger notes, notifications) reads in the reader's language."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from ledger import services as ledger
from notifications.models import Notification
from orders import lifecycle, notices
from orders.models import SubOrder, SubOrderEvent
from tests.factories import make_shop, make_user
from tests.ledger.factories import make_suborder

pytestmark = pytest.mark.django_db
S = SubOrder.Status


def _url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_a_notification_written_in_indonesian_reads_in_english_after_the_maker_switches(client):
    # given a maker who read Indonesian when the order came in
    owner = make_user(preferred_language="id")
    shop = make_shop(owner=owner, name="Batik Paku")
    suborder = make_suborder(shop=shop)
    notices.notify_artisan_of_new_suborder(order=suborder.order, suborder=suborder, user=owner)
    # when they switch to English and open their notifications
    owner.preferred_language = "en"
    owner.save()
    client.force_login(owner)
    english = client.get(_url("en", "notifications:list")).content.decode()
    indonesian = client.get(_url("id", "notifications:list")).content.decode()
    # then the title and the body are in the language of the page
    reference = suborder.order.reference
    assert f"New order {reference} for Batik Paku" in english
    assert "Please accept or decline it." in english
    assert "Pesanan baru" not in english
    assert f"Pesanan baru {reference} untuk Batik Paku" in indonesian
    # and the link leads to the page in the language being read
    assert f'href="/en/dasbor/pesanan/{suborder.pk}/"' in english


def test_an_old_notification_without_a_phrase_keeps_its_text(client):
    owner = make_user()
    Notification.objects.create(key="old", recipient=owner, kind="x", title="Pesanan lama")
    client.force_login(owner)
    assert "Pesanan lama" in client.get(_url("en", "notifications:list")).content.decode()


def test_timeline_notes_read_in_each_readers_language_and_a_typed_reason_stays_as_typed(client):
    # given a maker who accepts in Indonesian with a ready date, and another order they decline
    shop = make_shop(owner=make_user(preferred_language="id"))
    suborder = make_suborder(shop=shop)
    ready_by = date(2099, 12, 20)
    with translation.override("id"):
        lifecycle.transition_suborder(
            suborder=suborder, to=S.ACCEPTED, by=shop.owner, ready_by=ready_by
        )
    declined = make_suborder(shop=shop)
    lifecycle.transition_suborder(
        suborder=declined, to=S.DECLINED, by=shop.owner, reason="Kain habis, maaf"
    )
    client.force_login(shop.owner)
    # when the maker reads the order in English, then in Indonesian
    english = client.get(_url("en", "dashboard:order-detail", suborder.pk)).content.decode()
    indonesian = client.get(_url("id", "dashboard:order-detail", suborder.pk)).content.decode()
    # then the note follows the page's language, dates included
    assert "Ready by 20 Dec 2099." in english
    assert "Siap pada" not in english
    assert "Siap pada 20 Des 2099." in indonesian
    page = client.get(_url("en", "dashboard:order-detail", declined.pk)).content.decode()
    assert "Kain habis, maaf" in page


def test_an_old_timeline_note_without_a_phrase_keeps_its_text(client):
    shop = make_shop()
    suborder = make_suborder(shop=shop)
    SubOrderEvent.objects.create(suborder=suborder, to_status=S.NEW, note="Catatan lama")
    client.force_login(shop.owner)
    page = client.get(_url("en", "dashboard:order-detail", suborder.pk)).content.decode()
    assert "Catatan lama" in page


def test_the_makers_ledger_notes_read_in_the_language_of_the_finance_page(client):
    # given a sale credited and then refunded while Indonesian was active
    shop = make_shop()
    suborder = make_suborder(shop=shop, status=S.COMPLETED)
    with translation.override("id"):
        ledger.record_suborder_delivered(suborder=suborder)
        ledger.record_suborder_refunded(suborder=suborder)
    client.force_login(shop.owner)
    # when the maker reads the finance page in English
    english = client.get(_url("en", "dashboard:finance")).content.decode()
    indonesian = client.get(_url("id", "dashboard:finance")).content.decode()
    # then the refund's note is English there, Indonesian on the Indonesian page
    reference = suborder.order.reference
    assert f"Refund of order {reference}" in english
    assert "Pengembalian dana" not in english
    assert f"Pengembalian dana pesanan {reference}" in indonesian
