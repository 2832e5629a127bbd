"""The catalog's filter inputs, built in Python like the product cards.

The filter form lists every motif, technique, type, fabric, colour and district, about a hundred
inputs; as template loops they cost more than a millisecond per page, here a tenth of that.
Every value goes through html.escape().
"""

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _pairs(choices: Iterable) -> Iterable[tuple[str, str, str]]:
    """(value, label, colour) from taxonomy terms (dicts) or (value, label) pairs."""
    for choice in choices:
        if isinstance(choice, dict):
            yield str(choice["slug"]), str(choice["name"]), str(choice.get("hex") or "")
        else:
            value, label = choice
            yield str(value), str(label), ""


def _as_set(selected) -> set[str]:
    if selected is None or selected == "":
        return set()
    if isinstance(selected, str | int):
        return {str(selected)}
    return {str(value) for value in selected}


@register.simple_tag
def filter_inputs(name: str, choices, selected=None, kind: str = "checkbox") -> SafeString:
    """One labelled checkbox (or radio button) per choice, checked when selected.

    Colours (terms with a hex value) get their swatch.
    """
    chosen = _as_set(selected)
    name_attr = escape(name)
    parts = []
    for value, label, colour in _pairs(choices):
        checked = " checked" if value in chosen else ""
        field = f'<input type="{kind}" name="{name_attr}" value="{escape(value)}"{checked}>'
        if colour:
            parts.append(
                f'<label class="swatch">{field}<span class="swatch-dot"'
                f' style="background: {escape(colour)}"></span> {escape(label)}</label>'
            )
        else:
            parts.append(f"<label>{field} {escape(label)}</label>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def select_options(choices, selected=None) -> SafeString:
    """<option> elements for (value, label) pairs, the selected one marked."""
    chosen = _as_set(selected)
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<option value="{escape(value)}"{" selected" if value in chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label, _colour in _pairs(choices)
        )
    )
