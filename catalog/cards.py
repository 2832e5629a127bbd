"""Product cards read as rows: what a card shows, without model instances.

A catalog page of 24 cards spent more on making Product, Shop and ProductImage instances (and
converting their columns) than on its query; 96 cards, four times that. Read with
values_list() into these small objects, which have what `render_card` reads, a page costs
about half.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

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


# Compiled card queries by shape. Compiling the ORM query cost a catalog page more than running
# it (about a millisecond against a few tenths); the SQL of one shape never changes, only the
# rows do. Emptied when full rather than kept in order: a few hundred shapes cover the traffic.
_COMPILED: dict[Hashable, "_Compiled"] = {}
_COMPILED_MAX = 512


@dataclass(frozen=True, slots=True)
class _Compiled:
    using: str
    sql: str
    params: tuple
    # Django's per-column converters (JSON decoding, SQLite's booleans and decimals).
    converters: dict


def _compile(values: QuerySet) -> _Compiled | None:
    """The SQL of a values_list() queryset and its converters; None if it can match nothing."""
    compiler = values.query.get_compiler(using=values.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    fields = [column[0] for column in compiler.select[: compiler.col_count]]
    return _Compiled(values.db, sql, tuple(params), compiler.get_converters(fields))


def _rows(compiled: _Compiled) -> list[tuple]:
    connection = connections[compiled.using]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, compiled.params)
        rows = cursor.fetchall()
    if not compiled.converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in compiled.converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(row)
    return converted


def card_rows(
    products: QuerySet | Callable[[], QuerySet], *, shape: Hashable | None = None
) -> list[Card]:
    """The cards of these products, in their order.

    `products` must carry with_card_image() and with_favourite_flag() (may be sliced). `shape`,
    when given, must decide the query's SQL and parameters entirely (for the catalog list: the
    filters, sort, slice and reader); the query is then compiled once per shape, and
    `products` may be a function that builds the queryset, called only to compile it.
    """
    compiled = _COMPILED.get(shape) if shape is not None else None
    if compiled is None:
        queryset = products() if callable(products) else products
        compiled = _compile(queryset.values_list(*_COLUMNS))
        if compiled is None:
            return []
        if shape is not None:
            if len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.clear()
            _COMPILED[shape] = compiled
    cards = []
    for row in _rows(compiled):
        image = CardImage(row[12], row[13], row[14], row[15], row[16] or {}) if row[12] else None
        cards.append(Card(*row[:8], CardShop(*row[8:12]), image))
    return cards
