"""The artisan's reviews page and reply, and the cooperative hiding reviews in Django admin."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import Notification
from notifications.tasks import send_pending_emails_task
from reviews import services
from reviews.models import ProductReview, ShopReview
from tests.conftest import broker_down, wait_for_email
from tests.factories import make_product, make_shop, make_user

from .conftest import english_url, verified_buyer

pytestmark = pytest.mark.django_db


def _review(product, rating=4, text="Bagus", **user):
    buyer = verified_buyer(product, **user)
    return services.create_product_review(buyer=buyer, product=product, rating=rating, text=text)


def _reply_url(kind: str, pk: int) -> str:
    return english_url("dashboard:review-reply", kind=kind, pk=pk)


# --- the artisan's dashboard --------------------------------------------------------------------


def test_the_artisan_sees_their_reviews_and_not_others(client, django_assert_max_num_queries):
    product = make_product()
    for number in range(5):
        _review(product, text=f"Ulasan kain {number}")
    services.create_shop_review(
        buyer=verified_buyer(product), shop=product.shop, rating=5, text="Toko ramah"
    )
    _review(make_product(), text="Ulasan toko lain")
    client.force_login(product.shop.owner)

    with django_assert_max_num_queries(12):
        html = client.get(english_url("dashboard:review-list")).content.decode()

    assert "Ulasan kain 4" in html and "Toko ramah" in html
    assert "Ulasan toko lain" not in html
    assert html.count('name="text"') == 6


def test_the_artisan_replies_once_through_the_dashboard(client):
    product = make_product()
    review = _review(product, text="Warnanya pas")
    client.force_login(product.shop.owner)

    first = client.post(_reply_url("produk", review.pk), {"text": "Terima kasih!"}, follow=True)
    second = client.post(_reply_url("produk", review.pk), {"text": "Lagi"}, follow=True)

    assert "Your reply is published under the review." in first.content.decode()
    assert "a review is answered once" in second.content.decode()
    review.refresh_from_db()
    assert review.reply == "Terima kasih!"
    assert 'name="text"' not in second.content.decode()
    with translation.override("en"):
        assert "Terima kasih!" in client.get(product.get_absolute_url()).content.decode()


def test_the_artisan_replies_to_a_shop_review(client):
    product = make_product()
    review = services.create_shop_review(buyer=verified_buyer(product), shop=product.shop, rating=4)
    client.force_login(product.shop.owner)
    client.post(_reply_url("toko", review.pk), {"text": "Sampai jumpa lagi"})
    assert ShopReview.objects.get().reply == "Sampai jumpa lagi"


def test_another_artisan_gets_404_and_changes_nothing(client):
    review = _review(make_product())
    client.force_login(make_shop().owner)

    assert client.post(_reply_url("produk", review.pk), {"text": "Halo"}).status_code == 404
    assert client.post(_reply_url("toko", review.pk), {"text": "Halo"}).status_code == 404
    assert client.post(_reply_url("lain", review.pk), {"text": "Halo"}).status_code == 404
    review.refresh_from_db()
    assert review.replied_at is None


def test_a_buyer_without_a_shop_cannot_reach_the_reviews_dashboard(client):
    review = _review(make_product())
    client.force_login(review.buyer)
    response = client.get(english_url("dashboard:review-list"))
    assert response.status_code == 302
    assert client.post(_reply_url("produk", review.pk), {"text": "x"}).status_code == 302
    review.refresh_from_db()
    assert review.replied_at is None


def test_the_dashboard_rating_include_shows_average_count_and_link():
    product = make_product()
    for rating in (5, 4):
        services.create_shop_review(buyer=verified_buyer(product), shop=product.shop, rating=rating)
    shop = type(product.shop).objects.get(pk=product.shop.pk)
    with translation.override("en"):
        html = render_to_string("dashboard/includes/_rating.html", {"shop": shop})
        empty = render_to_string("dashboard/includes/_rating.html", {"shop": make_shop()})
    assert 'aria-label="4.5 out of 5"' in html
    assert "2 shop reviews" in html
    assert english_url("dashboard:review-list") in html
    assert "No shop reviews yet" in empty


# --- the cooperative's admin --------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


CHANGELIST = "/en/admin/reviews/productreview/"


def test_admin_hides_a_review_through_its_own_action_with_a_reason(
    admin_client, django_capture_on_commit_callbacks
):
    product = make_product()
    review = _review(product, rating=1, text="Beli di toko sebelah saja")
    _review(product, rating=5)

    page = admin_client.post(
        CHANGELIST, {"action": "hide_selected", "_selected_action": [review.pk]}
    )
    assert page.status_code == 200
    assert "Hide with this reason" in page.content.decode()
    review.refresh_from_db()
    assert not review.is_hidden

    empty = admin_client.post(
        CHANGELIST, {"action": "hide_selected", "_selected_action": [review.pk], "reason": ""}
    )
    assert "This field is required." in empty.content.decode()

    with django_capture_on_commit_callbacks() as callbacks:
        done = admin_client.post(
            CHANGELIST,
            {"action": "hide_selected", "_selected_action": [review.pk], "reason": "Iklan"},
            follow=True,
        )
    assert "1 review updated." in done.content.decode()
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_reason == "Iklan"
    assert review.hidden_by.is_superuser
    product.refresh_from_db()
    assert product.rating_count == 1 and str(product.rating_average) == "5.00"
    assert len(callbacks) == 2  # the page cache goes stale, and the reviewer is told

    admin_client.post(
        CHANGELIST, {"action": "unhide_selected", "_selected_action": [review.pk]}, follow=True
    )
    product.refresh_from_db()
    assert product.rating_count == 2 and str(product.rating_average) == "3.00"


def test_admin_list_query_count_stays_small(admin_client, django_assert_max_num_queries):
    product = make_product()
    for _ in range(15):
        _review(product)
    with django_assert_max_num_queries(12):
        response = admin_client.get(CHANGELIST)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert admin_client.get("/en/admin/reviews/shopreview/").status_code == 200


def test_admin_cannot_add_edit_or_delete_reviews(admin_client):
    review = _review(make_product())
    assert admin_client.get(CHANGELIST + "add/").status_code == 403
    assert admin_client.get(f"{CHANGELIST}{review.pk}/delete/").status_code == 403
    admin_client.post(f"{CHANGELIST}{review.pk}/change/", {"rating": "1"})
    review.refresh_from_db()
    assert review.rating == 4


def test_the_reviewer_is_told_of_the_hiding_once():
    admin = make_user(is_staff=True)
    review = _review(make_product(title="Kemeja Sawit"), display_name="Rina")
    services.hide_review(review=review, by=admin, reason="Berisi nomor telepon")

    send_pending_emails_task()
    send_pending_emails_task()  # the sweep again: nothing more

    notification = Notification.objects.get(recipient=review.buyer)
    assert notification.kind == "review-hidden"
    assert "Kemeja Sawit" in notification.title
    assert "Berisi nomor telepon" in notification.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [review.buyer.email]


def test_with_the_broker_down_hiding_succeeds_and_the_sweep_tells_the_reviewer(
    admin_client, django_capture_on_commit_callbacks
):
    review = _review(make_product(title="Kain Lumut"))

    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/en/admin/reviews/productreview/",
            {"action": "hide_selected", "_selected_action": [review.pk], "reason": "Iklan"},
        )

    review.refresh_from_db()
    assert review.is_hidden
    assert Notification.objects.filter(recipient=review.buyer, kind="review-hidden").count() == 1
    assert not mail.outbox
    send_pending_emails_task()  # the beat's sweep, once the broker is back
    send_pending_emails_task()
    assert len(mail.outbox) == 1 and "Iklan" in mail.outbox[0].body


def test_showing_a_review_again_sends_no_further_notice():
    admin = make_user(is_staff=True)
    review = _review(make_product())
    services.hide_review(review=review, by=admin, reason="Spam")
    services.unhide_review(review=review, by=admin)
    assert list(Notification.objects.values_list("kind", flat=True)) == ["review-hidden"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_admin_hiding_reaches_the_reviewer_through_the_real_worker(
    celery_worker, client, tmp_path
):
    product = make_product(title="Selendang Daun Singkong")
    review = services.create_shop_review(
        buyer=verified_buyer(product), shop=product.shop, rating=1, text="Kasar"
    )
    client.force_login(make_user(is_staff=True, is_superuser=True))

    client.post(
        "/en/admin/reviews/shopreview/",
        {"action": "hide_selected", "_selected_action": [review.pk], "reason": "Kata kasar"},
    )

    notification = Notification.objects.get(recipient=review.buyer)
    assert notification.kind == "review-hidden"
    assert "Kata kasar" in notification.body
    assert wait_for_email(tmp_path / "emails", containing="Kata kasar")
    assert ProductReview.objects.count() == 0
