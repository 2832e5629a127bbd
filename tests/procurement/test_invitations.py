"""The cooperative invites makers to offer on a request, from the admin: who is suggested, who
may be chosen, and each invited maker told once (in the app, and on WhatsApp where set up)."""

import pytest
from django.test import Client

from notifications.models import Notification, OutgoingWhatsApp
from notifications.services import send_pending_whatsapp
from procurement import services
from procurement.models import Invitation, ProcurementRequest
from tests.factories import make_product, make_shop, make_user
from tests.notifications.whatsapp_server import (  # noqa: F401 (fixtures)
    fake_whatsapp_fixture,
    whatsapp_server_fixture,
)
from tests.procurement.test_requests import SIZES, _institution, _request

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def sent_request():
    """A submitted request of 120 pieces (S 20, M 40, L 40, XL 20), 60 days ahead, paku motif."""
    institution, officer = _institution()
    request = _request(institution, officer)
    services.set_sizes(request=request, counts=SIZES)
    paku = make_product(motif="paku").motifs.get()
    request.motifs.add(paku)
    services.submit_request(request=request, by=officer)
    return request


def _url(request) -> str:
    return f"/admin/procurement/procurementrequest/{request.pk}/undang/"


def _rows(page: str) -> dict[str, str]:
    """Each listed maker's name with its row's HTML."""
    rows = {}
    for row in page.split('data-testid="invite-row"')[1:]:
        name = row.split("<label")[1].split(">")[1].split("<")[0]
        rows[name] = row.split("</tr>")[0]
    return rows


def _paku_maker(name: str, **extra):
    shop = make_shop(name=name, is_verified=True, **extra)
    make_product(shop=shop, motif="paku")
    return shop


def test_the_page_suggests_the_makers_who_fit_and_lists_every_verified_maker(
    admin_client, sent_request
):
    # given makers of paku who can make enough by the date, one too small, one of other
    # motifs, and one not verified as a Kutai Timur maker
    fits = _paku_maker("Batik Paku Sangatta", weekly_capacity=5)  # 8 weeks: 40 pieces
    unstated = _paku_maker("Telapak Tangan Sangatta")
    small = _paku_maker("Paku Kecil", weekly_capacity=1)  # 8 pieces, less than a tenth
    other = make_shop(name="Sawit Bengalon", is_verified=True)
    make_product(shop=other, motif="sawit")
    unverified = make_shop(name="Belum Diverifikasi")
    make_product(shop=unverified, motif="paku")

    page = admin_client.get(_url(sent_request)).content.decode()

    rows = _rows(page)
    assert list(rows)[:2] == [fits.name, unstated.name]  # the suggested ones first
    assert all('data-testid="suggested"' in rows[shop.name] for shop in (fits, unstated))
    assert all('data-testid="suggested"' not in rows[shop.name] for shop in (small, other))
    assert unverified.name not in rows
    assert 'data-testid="invite-total">120<' in page
    assert "<td>40</td>" in rows[fits.name] and "<td>8</td>" in rows[small.name]


def test_the_chosen_makers_are_invited_and_each_told_once(admin_client, sent_request):
    first, second = _paku_maker("Batik Paku Sangatta"), _paku_maker("Paku Rantau Pulung")
    not_chosen = _paku_maker("Paku Bengalon")

    response = admin_client.post(_url(sent_request), {"shops": [first.pk, second.pk]}, follow=True)

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="success"' in page
    sent_request.refresh_from_db()
    assert sent_request.status == ProcurementRequest.Status.INVITING
    assert set(Invitation.objects.values_list("shop_id", flat=True)) == {first.pk, second.pk}
    rows = _rows(page)
    assert 'data-testid="invited"' in rows[first.name]
    assert 'data-testid="invited"' not in rows[not_chosen.name]
    for shop in (first, second):
        [notice] = Notification.objects.filter(recipient=shop.owner)
        assert notice.kind == "procurement-invitation"
        assert "120" in notice.title and sent_request.institution.name in notice.title
        assert notice.url.endswith(f"/dasbor/permintaan-instansi/{sent_request.pk}/")
    assert not Notification.objects.filter(recipient=not_chosen.owner).exists()

    # inviting again (the same maker and one more) tells only the new one
    admin_client.post(_url(sent_request), {"shops": [first.pk, not_chosen.pk]})
    assert Notification.objects.filter(recipient=first.owner).count() == 1
    assert Notification.objects.filter(recipient=not_chosen.owner).count() == 1

    # and the invited maker finds the request on their dashboard
    maker = Client()
    maker.force_login(first.owner)
    listing = maker.get("/en/dasbor/permintaan-instansi/").content.decode()
    assert sent_request.title in listing


def test_only_verified_makers_can_be_chosen_and_one_at_least(admin_client, sent_request):
    unverified = make_shop(name="Belum Diverifikasi")

    refused = admin_client.post("/en" + _url(sent_request), {"shops": [unverified.pk]})
    empty = admin_client.post("/en" + _url(sent_request), {})

    assert "Only verified Kutai Timur makers can be invited." in refused.content.decode()
    assert "Choose at least one maker to invite." in empty.content.decode()
    assert not Invitation.objects.exists()
    assert not Notification.objects.exists()


def test_a_request_no_longer_open_is_not_invited_on(admin_client, sent_request):
    shop = _paku_maker("Batik Paku Sangatta")
    services.withdraw_request(request=sent_request, by=sent_request.created_by)

    response = admin_client.post(_url(sent_request), {"shops": [shop.pk]}, follow=True)

    assert 'class="error"' in response.content.decode()
    assert not Invitation.objects.exists() and not Notification.objects.exists()


def test_staff_without_the_permission_cannot_invite(sent_request):
    shop = _paku_maker("Batik Paku Sangatta")
    client = Client()
    client.force_login(make_user(is_staff=True))
    assert client.get(_url(sent_request)).status_code == 403
    assert client.post(_url(sent_request), {"shops": [shop.pk]}).status_code == 403
    assert not Invitation.objects.exists()


def test_an_invited_maker_on_whatsapp_gets_the_invitation_there(
    admin_client, sent_request, fake_whatsapp, settings
):
    settings.SITE_URL = "https://batikkutim.example"
    shop = _paku_maker("Batik Paku Sangatta", owner=make_user(phone="+6281311110009"))

    admin_client.post(_url(sent_request), {"shops": [shop.pk]})

    assert OutgoingWhatsApp.objects.count() == 1
    assert send_pending_whatsapp() == 1
    [message] = fake_whatsapp.messages()
    assert message["to"] == "6281311110009"
    assert message["template"] == "undangan_penawaran"
    assert message["parameters"][:3] == [shop.name, sent_request.institution.name, "120"]
    assert message["parameters"][-1] == (
        f"https://batikkutim.example/dasbor/permintaan-instansi/{sent_request.pk}/"
    )


def test_the_service_refuses_a_maker_not_verified_as_from_kutai_timur(sent_request):
    from django.core.exceptions import ValidationError

    verified, unverified = _paku_maker("Batik Paku Sangatta"), make_shop(name="Luar Kutim")
    with pytest.raises(ValidationError, match="Kutai Timur"):
        services.invite_makers(
            request=sent_request, shops=[verified, unverified], by=make_user(is_staff=True)
        )
    assert not Invitation.objects.exists() and not Notification.objects.exists()
