"""Product cards read as rows: what a card shows, without model instances.

A catalog page of 24 cards spent more on making Product, Shop and ProductImage instances (and
converting their columns) than on its query; 96 cards, four times that. Read with
values_list() into these small objects, which have what `render_card` reads, a page costs
about half.
"""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass

from django.db.models import QuerySet

from core.queries import compiled_rows

from .models import ProductImage, ThumbnailURLs, product_url


@dataclass(slots=True)
class CardShop:
    name: str
    slug: str
    district: str
    is_verified: bool


@dataclass(slots=True)
class CardImage(ThumbnailURLs):
    image_name: str
    width: int
    height: int
    alt_text: str
    thumbnails: dict
    _thumbnail_urls: tuple | None = None

    @property
    def image_storage(self):
        return ProductImage._meta.get_field("image").storage


@dataclass(slots=True)
class Card:
    pk: int
    title: str
    slug: str
    price: int
    is_made_to_order: bool
    rating_average: object
    rating_count: int
    is_favourite: bool
    shop: CardShop
    card_image: CardImage | None

    def get_absolute_url(self) -> str:
        return product_url(self.slug)


# The columns, in the order Card reads them; the image's come from with_card_image().
_COLUMNS = (
    "pk",
    "title",
    "slug",
    "price",
    "is_made_to_order",
    "rating_average",
    "rating_count",
    "is_favourite",
    "shop__name",
    "shop__slug",
    "shop__district",
    "shop__is_verified",
    "_primary__image",
    "_primary__width",
    "_primary__height",
    "_primary__alt_text",
    "_primary__thumbnails",
)


def card_rows(
    products: QuerySet | Callable[[], QuerySet],
    *,
    shape: Hashable | None = None,
    fill: Mapping[str, object] | None = None,
) -> list[Card]:
    """The cards of these products, in their order.

    `products` must carry with_card_image() and with_favourite_flag() (may be sliced). `shape`,
    when given, must decide the query's SQL and parameters entirely (for the catalog list: the
    filters, sort, slice and reader); the query is then compiled once per shape, and
    `products` may be a function that builds the queryset, called only to compile it; `fill`
    gives the values of its slots (see core.queries).
    """

    def build() -> QuerySet:
        queryset = products() if callable(products) else products
        return queryset.values_list(*_COLUMNS)

    cards = []
    for row in compiled_rows(build, shape=shape, fill=fill):
        image = CardImage(row[12], row[13], row[14], row[15], row[16] or {}) if row[12] else None
        cards.append(Card(*row[:8], CardShop(*row[8:12]), image))
    return cards
