"""Content kept in both languages: an optional English version beside the Indonesian text.

A model keeps its text in a field (`title`) and the optional English version beside it
(`title_en`); `Translated("title")` on the model reads the one for the active language, falling
back to the Indonesian text where there is no English one. Rows read as dicts (values()) use
`pick`; a query that reads the text in the database, `in_language`.
"""

from django.conf import settings
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language


def _suffix() -> str | None:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return None if language == settings.LANGUAGE_CODE else language


def pick(values, field: str) -> str:
    """`values[field]` in the active language: `<field>_en` on English pages when it is filled in."""
    get = (
        values.get
        if isinstance(values, dict)
        else lambda name, default="": getattr(values, name, default)
    )
    suffix = _suffix()
    if suffix:
        translated = get(f"{field}_{suffix}", "")
        if translated:
            return translated
    return get(field, "")


def in_language(field: str):
    """`field` in the active language as a database expression (the query's twin of `pick`):
    `<field>_en` on English pages when it is filled in, else `field`. The language is the one
    active when the query is built (`pick` reads it when called): build such a query per request."""
    suffix = _suffix()
    if not suffix:
        return F(field)
    return Coalesce(NullIf(F(f"{field}_{suffix}"), Value("")), F(field))


class Translated:
    """A model attribute that reads `field` in the active language (see the module doc)."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return pick(instance, self.field)
