"""Review fixtures: orders delivered to a buyer, real photos, and English pages."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from orders.models import Order, OrderLine, PaymentMethod, ShippingZone, SubOrder
from tests.factories import ADDRESS, make_user


def make_suborder(*, buyer, products, status=SubOrder.Status.DELIVERED) -> SubOrder:
    """An order by `buyer` with one sub-order from the products' shop, in `status`."""
    shop = products[0].shop
    subtotal = sum(product.price for product in products)
    order = Order.objects.create(
        buyer=buyer,
        email=buyer.email,
        status=Order.Status.CONFIRMED,
        payment_method=PaymentMethod.COD,
        shipping_zone=ShippingZone.LOCAL,
        subtotal=subtotal,
        shipping_total=0,
        total=subtotal,
        confirmed_at=timezone.now(),
        routed_at=timezone.now(),
        **ADDRESS,
    )
    delivered = status in (SubOrder.Status.DELIVERED, SubOrder.Status.COMPLETED)
    suborder = SubOrder.objects.create(
        order=order,
        shop=shop,
        shop_name=shop.name,
        status=status,
        subtotal=subtotal,
        total=subtotal,
        routed_at=timezone.now(),
        delivered_at=timezone.now() if delivered else None,
    )
    for product in products:
        option = product.options.first()
        OrderLine.objects.create(
            suborder=suborder,
            product=product,
            option=option,
            product_title=product.title,
            option_name=option.name if option else "",
            unit_price=product.price,
            quantity=1,
            line_total=product.price,
        )
    return suborder


def verified_buyer(*products, status=SubOrder.Status.DELIVERED, **user):
    """A buyer who received `products` (all from one shop)."""
    buyer = make_user(**user)
    make_suborder(buyer=buyer, products=list(products), status=status)
    return buyer


def jpeg_file(name="photo.jpg", size=(64, 48)):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 60, 20)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def _default_language():
    """A request under /en/ leaves English active in the thread; start each test in Indonesian."""
    from django.utils import translation

    translation.activate("id")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def english_url(name: str, *args, **kwargs) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        return reverse(name, args=args, kwargs=kwargs)
