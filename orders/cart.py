"""The cart: in the session for guests, in the database for accounts; the same interface for both."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from catalog.models import Product, ProductOption

from .down_payments import split_made_to_order
from .models import Cart, CartItem, PaymentMethod, ShippingProfile, ShippingZone

SESSION_KEY = "cart"
MAX_QUANTITY = 99


@dataclass
class CartLine:
    """One option in the cart, loaded with its product and shop."""

    option: ProductOption
    quantity: int
    price_when_added: int
    stock_when_added: int

    @property
    def product(self) -> Product:
        return self.option.product

    @property
    def unit_price(self) -> int:
        return self.option.price

    @property
    def line_total(self) -> int:
        return self.unit_price * self.quantity

    @property
    def is_made_to_order(self) -> bool:
        return self.product.is_made_to_order

    @property
    def price_changed(self) -> bool:
        return self.unit_price != self.price_when_added

    @property
    def stock_changed(self) -> bool:
        """Stock moved since the line was added (someone else bought, or the artisan restocked)."""
        return not self.is_made_to_order and self.option.stock != self.stock_when_added

    @property
    def is_short(self) -> bool:
        return not self.is_made_to_order and self.option.stock < self.quantity

    @property
    def problem(self) -> str:
        """Why this line cannot be checked out, or an empty string."""
        shop = self.product.shop
        if (
            self.product.status != Product.Status.ACTIVE
            or self.product.is_hidden
            or not shop.is_public
        ):
            return str(_("This batik is no longer for sale."))
        if shop.is_on_vacation:
            return str(_("%(shop)s is on vacation and not taking orders.") % {"shop": shop.name})
        if not shop.accepts_orders:
            return str(_("%(shop)s is not taking orders.") % {"shop": shop.name})
        if self.is_short:
            if self.option.stock == 0:
                return str(_("Sold out."))
            return str(_("Only %(stock)s left.") % {"stock": self.option.stock})
        return ""


@dataclass
class ShopGroup:
    """The lines of one shop, with its subtotal and shipping rates."""

    shop: object
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal(self) -> int:
        return sum(line.line_total for line in self.lines)

    @property
    def shipping_profile(self) -> ShippingProfile:
        return shipping_profile_for(self.shop)

    @property
    def rates(self) -> list[tuple[str, int]]:
        profile = self.shipping_profile
        return [(label, profile.rate_for(zone)) for zone, label in ShippingZone.choices]

    @property
    def has_problem(self) -> bool:
        return any(line.problem for line in self.lines)

    @property
    def down_payment_percent(self) -> int:
        """The share of made-to-order work paid at checkout; 0 when there is none here."""
        if not any(line.product.is_made_to_order for line in self.lines):
            return 0
        return self.shop.down_payment_percent

    @property
    def down_payment(self) -> int:
        """What the made-to-order work here asks at checkout, by any method that splits."""
        made_to_order = sum(line.line_total for line in self.lines if line.product.is_made_to_order)
        return split_made_to_order(
            amount=made_to_order, shop=self.shop, payment_method=PaymentMethod.COD
        ).down_payment


@dataclass
class ShopShipping:
    """What one shop's parcel costs for the address chosen so far."""

    group: ShopGroup
    is_pickup: bool
    cost: int | None  # None while the zone is unknown (no kabupaten/kota chosen yet)

    @property
    def rates(self) -> dict[str, int]:
        """The rate per zone, for the page to switch between as the address changes."""
        profile = self.group.shipping_profile
        return {zone: profile.rate_for(zone) for zone in ShippingZone.values}


@dataclass
class CheckoutSummary:
    """The shipping of every shop and the grand total, for the address and pickups chosen."""

    zone: str  # "" while unknown
    shops: list[ShopShipping]

    @property
    def zone_label(self) -> str:
        return ShippingZone(self.zone).label if self.zone else ""

    @property
    def subtotal(self) -> int:
        return sum(shop.group.subtotal for shop in self.shops)

    @property
    def shipping(self) -> int | None:
        costs = [shop.cost for shop in self.shops]
        return None if None in costs else sum(costs)

    @property
    def total(self) -> int | None:
        shipping = self.shipping
        return None if shipping is None else self.subtotal + shipping


def checkout_summary(groups: list[ShopGroup], *, zone: str, pickup_shop_ids) -> CheckoutSummary:
    """Each shop's shipping (nothing when the buyer picks up, where the shop offers it) and the
    grand total; the zone is "" until the address has a kabupaten/kota. The same sums as
    `place_order`'s."""
    shops = []
    for group in groups:
        is_pickup = group.shop.pk in pickup_shop_ids and group.shipping_profile.offers_pickup
        cost = group.shipping_profile.rate_for(zone) if zone else None
        shops.append(ShopShipping(group=group, is_pickup=is_pickup, cost=0 if is_pickup else cost))
    return CheckoutSummary(zone=zone, shops=shops)


def shipping_profile_for(shop) -> ShippingProfile:
    """The shop's shipping profile, or the default rates when it has not set its own yet."""
    try:
        return shop.shipping_profile
    except ShippingProfile.DoesNotExist:
        return ShippingProfile(shop=shop)


class BaseCart:
    """What views and place_order need from a cart."""

    def entries(self) -> dict[int, dict]:
        """{option_id: {"quantity", "price", "stock"}}."""
        raise NotImplementedError

    def quantities(self) -> dict[int, int]:
        return {option_id: entry["quantity"] for option_id, entry in self.entries().items()}

    def count(self) -> int:
        return sum(entry["quantity"] for entry in self.entries().values())

    def __len__(self) -> int:
        return len(self.entries())

    def lines(self) -> list[CartLine]:
        """The cart's lines with their options, products and shops, in one query."""
        entries = self.entries()
        if not entries:
            return []
        options = ProductOption.objects.filter(pk__in=entries).select_related(
            "product__shop__shipping_profile"
        )
        by_id = {option.pk: option for option in options}
        return [
            CartLine(
                option=by_id[option_id],
                quantity=entry["quantity"],
                price_when_added=entry["price"],
                stock_when_added=entry["stock"],
            )
            for option_id, entry in entries.items()
            if option_id in by_id
        ]

    def groups(self) -> list[ShopGroup]:
        """The lines grouped by shop, in the order the shops were first added."""
        groups: dict[int, ShopGroup] = {}
        for line in self.lines():
            shop = line.product.shop
            groups.setdefault(shop.pk, ShopGroup(shop=shop)).lines.append(line)
        return list(groups.values())

    def add(self, option: ProductOption, quantity: int) -> int:
        """Add quantity of the option (capped); return the new quantity in the cart."""
        entries = self.entries()
        current = entries.get(option.pk, {}).get("quantity", 0)
        new_quantity = min(current + quantity, MAX_QUANTITY)
        self._write(option, new_quantity)
        return new_quantity

    def set_quantity(self, option: ProductOption, quantity: int) -> None:
        if quantity <= 0:
            self.remove(option.pk)
        else:
            self._write(option, min(quantity, MAX_QUANTITY))

    def _write(self, option: ProductOption, quantity: int) -> None:
        raise NotImplementedError

    def remove(self, option_id: int) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError


class SessionCart(BaseCart):
    """A guest's cart, kept in the session as {option id: quantity, price and stock seen}."""

    def __init__(self, session):
        self.session = session

    def entries(self) -> dict[int, dict]:
        raw = self.session.get(SESSION_KEY) or {}
        return {
            int(option_id): {"quantity": int(e["q"]), "price": int(e["p"]), "stock": int(e["s"])}
            for option_id, e in raw.items()
            if isinstance(e, dict)
        }

    def _write(self, option: ProductOption, quantity: int) -> None:
        raw = dict(self.session.get(SESSION_KEY) or {})
        raw[str(option.pk)] = {"q": quantity, "p": option.price, "s": option.stock}
        self.session[SESSION_KEY] = raw

    def remove(self, option_id: int) -> None:
        raw = dict(self.session.get(SESSION_KEY) or {})
        raw.pop(str(option_id), None)
        self.session[SESSION_KEY] = raw

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)


class AccountCart(BaseCart):
    """A signed-in buyer's cart in the database."""

    def __init__(self, user):
        self.user = user
        self._entries: dict[int, dict] | None = None

    def _cart(self) -> Cart:
        return Cart.objects.get_or_create(user=self.user)[0]

    def entries(self) -> dict[int, dict]:
        if self._entries is None:
            rows = CartItem.objects.filter(cart__user=self.user).values_list(
                "option_id", "quantity", "price_when_added", "stock_when_added"
            )
            self._entries = {
                option_id: {"quantity": quantity, "price": price, "stock": stock}
                for option_id, quantity, price, stock in rows
            }
        return self._entries

    def _write(self, option: ProductOption, quantity: int) -> None:
        CartItem.objects.update_or_create(
            cart=self._cart(),
            option=option,
            defaults={
                "quantity": quantity,
                "price_when_added": option.price,
                "stock_when_added": option.stock,
            },
        )
        self._entries = None

    def remove(self, option_id: int) -> None:
        CartItem.objects.filter(cart__user=self.user, option_id=option_id).delete()
        self._entries = None

    def clear(self) -> None:
        CartItem.objects.filter(cart__user=self.user).delete()
        self._entries = None


def get_cart(request) -> BaseCart:
    if request.user.is_authenticated:
        return AccountCart(request.user)
    return SessionCart(request.session)


@transaction.atomic
def merge_session_cart(*, session, user) -> int:
    """Move a guest's session cart into the account's cart; return how many lines moved."""
    guest = SessionCart(session)
    entries = guest.entries()
    if not entries:
        return 0
    account = AccountCart(user)
    existing = account.entries()
    options = ProductOption.objects.select_related("product").in_bulk(list(entries))
    for option_id, entry in entries.items():
        option = options.get(option_id)
        if option is None:
            continue
        quantity = min(entry["quantity"] + existing.get(option_id, {}).get("quantity", 0), 99)
        CartItem.objects.update_or_create(
            cart=account._cart(),
            option=option,
            defaults={
                "quantity": quantity,
                "price_when_added": entry["price"],
                "stock_when_added": entry["stock"],
            },
        )
    guest.clear()
    return len(entries)
