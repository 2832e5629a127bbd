"""The reader's own hearts on product cards, filled into pages whose cards are shared.

A card (`includes/_product_card.html`) carries the placeholder `<!--favourite-heart-<pk>-->`
where its heart goes (the product page its own button as `<!--favourite-button-<pk>-->`), so
the same cached page of cards serves every reader; `fill_hearts()` puts in each reader's own
(catalog/views/pagecache.py, with the reader's other bits): a saved or unsaved button for a
signed-in buyer, a link to log in for anyone else. A placeholder is an HTML comment because no
text of a seller's can become one: Django escapes its `<` (and the JSON-LD writes it as
`\u003c`).

Which products the buyer saved is read with the user (catalog/readers.py).
"""

import re

HEART_PLACEHOLDER = re.compile(rb"<!--favourite-(heart|button)-(\d+)-->")
# Each kind of button is rendered once per response (includes/_visitor_bits.html) with this
# number in place of the product's id, which is then written in per card: a render per card
# would cost more than the page.
PRODUCT_PK_SLOT = 987654321987654321


def product_ids_with_hearts(content: bytes) -> set[int]:
    """The products whose heart or button placeholder is in the page."""
    return {int(pk) for _kind, pk in HEART_PLACEHOLDER.findall(content)}


def fill_hearts(content: bytes, *, saved: set[int], buttons: dict[tuple[bytes, bool], bytes]):
    """Each placeholder replaced by its kind's button (rendered for PRODUCT_PK_SLOT), saved or
    not; `buttons` maps (b"heart" or b"button", is saved) to the rendered HTML."""
    slot = str(PRODUCT_PK_SLOT).encode()
    return HEART_PLACEHOLDER.sub(
        lambda match: buttons[match[1], int(match[2]) in saved].replace(slot, match[2]), content
    )
