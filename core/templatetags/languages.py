"""Links to the current page in each language, so switching needs no form and no script."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_urlconf, translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, str]]:
    """Each configured language with the current page's address in it.

    The address comes from i18n_patterns (Indonesian unprefixed, English under /en/), so the
    link alone switches the language: the path decides it, no cookie is needed.
    """
    request = context.get("request")
    current = context.get("LANGUAGE_CODE") or settings.LANGUAGE_CODE
    path, question_mark, query = (request.get_full_path() if request else "/").partition("?")
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return [
        {
            "code": code,
            "name": name,
            "url": _translated_path(path, code, urlconf) + question_mark + query,
            "is_current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]


@lru_cache(maxsize=4096)
def _translated_path(path: str, code: str, urlconf: str) -> str:
    """translate_url() of a path, worked out once: each costs a resolve() and a reverse().

    `urlconf` is the one in use (translate_url reads it itself); it is here to key the cache.
    """
    return translate_url(path, code)
