"""The catalog reacts to changes in the apps below it."""

from catalog import services


def refresh_changed_shops(sender, *, shop_ids: list[int], **kwargs) -> None:
    """A shop changed: keep search and cached catalog pages in step with it."""
    services.refresh_shops(shop_ids=shop_ids)
