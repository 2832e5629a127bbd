"""Django's i18n template library, with `{% translate "a constant" %}` worked out once per language.

Our templates `{% load translations %}` where Django's say `{% load i18n %}`: the same tags and
filters, and makemessages reads them as before. A constant message translates to the same text
for as long as the process runs (the catalogs load once), yet each tag went through a lazy
string, the active translation's thread-local lookup, localisation and escaping on every render:
a catalog page holds about forty of them. Every other use of the tags is Django's own.
"""

from django import template
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)

# (message, language, autoescape) → the text rendered; a few hundred entries at most.
_RENDERED: dict[tuple, str] = {}


class ConstantTranslateNode(i18n.TranslateNode):
    def render(self, context):
        key = (self.filter_expression.var.literal, get_language(), context.autoescape)
        try:
            return _RENDERED[key]
        except KeyError:
            rendered = _RENDERED[key] = super().render(context)
            return rendered


def _is_constant(node: i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    return (
        not node.noop
        and node.asvar is None
        and node.message_context is None
        and not expression.filters
        and isinstance(expression.var.literal, str)
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    if _is_constant(node):
        node.__class__ = ConstantTranslateNode
    return node
