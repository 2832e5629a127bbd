"""What every form of the site shares: choices that read in the reader's language."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The empty choice of a select: Django's own words, kept in our catalog too (Django's Indonesian
# catalog has no translation of them), so that the Indonesian page does not say them in English.
SELECT_AN_OPTION = _("- Select an option -")


def in_reader_language(form: forms.BaseForm) -> None:
    """Word the form's empty choices in the reader's language, and name terms in it too.

    A term with an English name (the catalog's `local_name`) shows it on English pages.
    """
    for field in form.fields.values():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        if field.empty_label is not None:
            field.empty_label = SELECT_AN_OPTION
        if hasattr(field.queryset.model, "local_name"):
            field.label_from_instance = _local_name


def _local_name(term) -> str:
    return term.local_name
