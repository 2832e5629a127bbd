"""Links to the current page in each language, so switching needs no form and no script."""

from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, str]]:
    """Each configured language with the current page's address in it.

    The address comes from i18n_patterns (Indonesian unprefixed, English under /en/), so the
    link alone switches the language: the path decides it, no cookie is needed.
    """
    request = context.get("request")
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    path = request.get_full_path() if request else "/"
    return [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
