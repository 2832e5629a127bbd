"""{% maker_share product %}: how much of the price goes to the maker, for the product page."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.templatetags.money import format_rupiah
from ledger import services

register = template.Library()


@register.simple_tag
def maker_share(product) -> str:
    """A sentence like "Rp 332.500 of Rp 350.000 goes to the maker", from the base price."""
    price = product.price
    share = services.maker_share(price, services.displayed_commission_percent(product.shop))
    return format_html(
        '<p class="maker-share">{}</p>',
        _("%(share)s of %(price)s goes to the maker")
        % {"share": format_rupiah(share), "price": format_rupiah(price)},
    )
