"""Writing, answering and moderating reviews, and the averages they keep."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from artisans.models import Shop
from catalog.models import Product
from orders.models import SubOrder
from reviews import services
from reviews.models import ProductReview, ShopReview
from tests.factories import make_product, make_shop, make_user

from .conftest import jpeg_file, make_suborder, verified_buyer


@pytest.fixture(autouse=True)
def english():
    """The services' messages in English, so the assertions read like the code."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def _review(product, rating, **extra):
    buyer = verified_buyer(product)
    return services.create_product_review(buyer=buyer, product=product, rating=rating, **extra)


def _refusal(call) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        call()
    return caught.value


def test_a_buyer_who_received_the_batik_reviews_it():
    product = make_product()
    buyer = verified_buyer(product)

    review = services.create_product_review(
        buyer=buyer, product=product, rating=5, text="  Warna soganya indah.  "
    )

    assert review.suborder.order.buyer == buyer
    assert review.text == "Warna soganya indah."
    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (Decimal("5.00"), 1)


def test_a_completed_sub_order_also_makes_a_verified_buyer():
    product = make_product()
    buyer = verified_buyer(product, status=SubOrder.Status.COMPLETED)
    assert services.create_product_review(buyer=buyer, product=product, rating=4).pk


@pytest.mark.parametrize(
    "status", [SubOrder.Status.NEW, SubOrder.Status.SHIPPED, SubOrder.Status.CANCELLED]
)
def test_a_buyer_without_a_delivered_sub_order_is_refused(status):
    product = make_product()
    buyer = verified_buyer(product, status=status)

    error = _refusal(lambda: services.create_product_review(buyer=buyer, product=product, rating=5))

    assert error.code == "not_verified"
    assert error.messages == ["Only buyers who received this batik can review it."]
    assert not ProductReview.objects.exists()


def test_a_buyer_of_another_product_is_refused():
    shop = make_shop()
    bought, other = make_product(shop=shop), make_product(shop=shop)
    buyer = verified_buyer(bought)

    error = _refusal(lambda: services.create_product_review(buyer=buyer, product=other, rating=5))

    assert error.code == "not_verified"
    other.refresh_from_db()
    assert other.rating_count == 0


def test_someone_who_never_ordered_cannot_review_a_shop():
    shop = make_shop()
    make_product(shop=shop)
    error = _refusal(lambda: services.create_shop_review(buyer=make_user(), shop=shop, rating=5))
    assert error.messages == ["Only buyers who received an order from this shop can review it."]


def test_a_delivery_from_another_shop_does_not_count_for_this_shop():
    buyer = verified_buyer(make_product())
    other_shop = make_shop()
    error = _refusal(lambda: services.create_shop_review(buyer=buyer, shop=other_shop, rating=5))
    assert error.code == "not_verified"


def test_one_review_per_product_per_buyer_even_after_two_deliveries():
    product = make_product()
    buyer = verified_buyer(product)
    make_suborder(buyer=buyer, products=[product])
    services.create_product_review(buyer=buyer, product=product, rating=5)

    error = _refusal(lambda: services.create_product_review(buyer=buyer, product=product, rating=1))

    assert error.messages == ["You have already reviewed this batik."]
    assert ProductReview.objects.filter(product=product).count() == 1
    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (Decimal("5.00"), 1)


def test_one_review_per_shop_per_buyer():
    product = make_product()
    buyer = verified_buyer(product)
    services.create_shop_review(buyer=buyer, shop=product.shop, rating=4, text="Cepat dikirim")

    error = _refusal(lambda: services.create_shop_review(buyer=buyer, shop=product.shop, rating=2))

    assert error.messages == ["You have already reviewed this shop."]
    assert ShopReview.objects.count() == 1


def test_the_rating_must_be_one_to_five():
    product = make_product()
    buyer = verified_buyer(product)
    for rating in (0, 6):
        error = _refusal(
            lambda rating=rating: services.create_product_review(
                buyer=buyer, product=product, rating=rating
            )
        )
        assert error.message_dict == {"rating": ["Choose a rating from 1 to 5 stars."]}


def test_averages_are_exact_after_create_hide_and_unhide():
    admin = make_user(is_staff=True)
    product = make_product()
    five = _review(product, 5)
    _review(product, 4)
    _review(product, 4)

    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (Decimal("4.33"), 3)

    services.hide_review(review=five, by=admin, reason="Bukan tentang batik ini")
    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (Decimal("4.00"), 2)

    services.unhide_review(review=five, by=admin)
    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (Decimal("4.33"), 3)

    for review in ProductReview.objects.all():
        services.hide_review(review=review, by=admin, reason="Spam")
    product.refresh_from_db()
    assert (product.rating_average, product.rating_count) == (None, 0)


def test_averages_round_half_up_to_two_places():
    product = make_product()
    for rating in (5, 5, 4, 4, 4, 4):  # 26 / 6 = 4.333…
        _review(product, rating)
    _review(product, 3)  # 29 / 7 = 4.142857…
    _review(product, 5)  # 34 / 8 = 4.25
    product.refresh_from_db()
    assert product.rating_average == Decimal("4.25")
    assert product.rating_count == 8


def test_shop_averages_follow_shop_reviews_and_are_exact():
    admin = make_user(is_staff=True)
    shop = make_shop()
    product = make_product(shop=shop)
    reviews = []
    for rating in (5, 2):
        buyer = verified_buyer(product)
        reviews.append(services.create_shop_review(buyer=buyer, shop=shop, rating=rating))
    _review(product, 1)  # a product review does not change the shop's own rating

    shop.refresh_from_db()
    assert (shop.rating_average, shop.rating_count) == (Decimal("3.50"), 2)

    services.hide_review(review=reviews[1], by=admin, reason="Kata-kata kasar")
    shop.refresh_from_db()
    assert (shop.rating_average, shop.rating_count) == (Decimal("5.00"), 1)


def test_hiding_needs_a_reason_and_happens_once():
    admin = make_user(is_staff=True)
    review = _review(make_product(), 3)
    assert _refusal(lambda: services.hide_review(review=review, by=admin, reason=" ")).code == (
        "required"
    )
    services.hide_review(review=review, by=admin, reason="Spam")
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_by == admin and review.hidden_at is not None
    assert review.hidden_reason == "Spam"
    error = _refusal(lambda: services.hide_review(review=review, by=admin, reason="Lagi"))
    assert error.code == "already_hidden"


def test_the_artisan_replies_once():
    product = make_product()
    review = _review(product, 4)
    owner = product.shop.owner

    services.reply_to_review(review=review, by=owner, text="Terima kasih, Bu!")
    error = _refusal(lambda: services.reply_to_review(review=review, by=owner, text="Kedua kali"))

    assert error.messages == ["This review already has your reply; a review is answered once."]
    review.refresh_from_db()
    assert review.reply == "Terima kasih, Bu!"
    assert review.replied_by == owner and review.replied_at is not None


def test_another_artisan_cannot_reply():
    review = _review(make_product(), 2)
    stranger = make_shop().owner
    with pytest.raises(PermissionDenied):
        services.reply_to_review(review=review, by=stranger, text="Bukan toko saya")
    review.refresh_from_db()
    assert review.replied_at is None


def test_a_shop_review_reply_comes_from_that_shop():
    product = make_product()
    buyer = verified_buyer(product)
    review = services.create_shop_review(buyer=buyer, shop=product.shop, rating=5)
    services.reply_to_review(review=review, by=product.shop.owner, text="Sampai jumpa lagi")
    assert ShopReview.objects.get().reply == "Sampai jumpa lagi"


def test_a_photo_is_re_encoded_and_stored(media_root):
    product = make_product()
    review = _review(product, 5, photo=jpeg_file("IMG_0001.JPG"))

    assert review.photo.name.startswith("reviews/")
    assert review.photo.name.endswith(".jpg")
    assert Path(media_root, review.photo.name).is_file()


def test_a_text_file_named_jpg_is_refused_and_nothing_is_stored(media_root):
    product = make_product()
    buyer = verified_buyer(product)
    fake = SimpleUploadedFile("kain.jpg", b"this is not a photo", content_type="image/jpeg")

    error = _refusal(
        lambda: services.create_product_review(buyer=buyer, product=product, rating=5, photo=fake)
    )

    assert error.message_dict == {
        "photo": ["Upload a photo in JPEG, PNG or WebP format. This file is not one of those."]
    }
    assert not ProductReview.objects.exists()
    stored = [path for path in Path(media_root).rglob("*") if path.is_file()]
    assert stored == []
    product.refresh_from_db()
    assert product.rating_count == 0


def test_ratings_are_not_editable_in_forms():
    assert not Product._meta.get_field("rating_average").editable
    assert not Shop._meta.get_field("rating_count").editable


@pytest.mark.parametrize("kind", ["product", "shop"])
def test_the_buyer_is_told_of_the_reply_once_in_their_language(
    kind, django_capture_on_commit_callbacks, mailoutbox
):
    from notifications.models import Notification
    from notifications.services import send_pending_emails

    product = make_product(title="Selendang Sawit")
    buyer = verified_buyer(product)
    buyer.preferred_language = "id"
    buyer.save(update_fields=["preferred_language"])
    if kind == "product":
        review = services.create_product_review(buyer=buyer, product=product, rating=4)
        page = f"/batik/{product.slug}/#reviews"
    else:
        review = services.create_shop_review(buyer=buyer, shop=product.shop, rating=4)
        page = f"{product.shop.get_absolute_url()}#reviews".replace("/en/", "/")

    with django_capture_on_commit_callbacks(execute=True):
        services.reply_to_review(review=review, by=product.shop.owner, text="Terima kasih, Bu!")
    # The worker sends the email the reply wrote; the sweep running again sends nothing more.
    send_pending_emails()
    send_pending_emails()

    notice = Notification.objects.get(recipient=buyer)
    assert notice.kind == "review-replied"
    assert notice.body == "Terima kasih, Bu!"
    assert notice.url == page
    assert product.shop.name in notice.title and "menjawab ulasan Anda" in notice.title
    assert len(mailoutbox) == 1
    assert "Terima kasih, Bu!" in mailoutbox[0].body
    assert mailoutbox[0].to == [buyer.email]


def test_no_reply_no_notice():
    from notifications.models import Notification

    _review(make_product(), 5)
    assert not Notification.objects.exists()
