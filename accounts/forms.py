from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from core.phone import normalize_indonesian_phone


class SignupForm(AllauthSignupForm):
    """allauth's signup with a display name and an optional WhatsApp number."""

    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("WhatsApp number (optional)"),
        max_length=20,
        required=False,
        help_text=_("An Indonesian number, e.g. 0812 3456 7890."),
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "")
        return normalize_indonesian_phone(phone) if phone else ""

    def try_save(self, request):
        if self.account_already_exists:
            # A known address gets an email instead of an account; hash the password all the
            # same, so the answer takes as long as a new account's and tells nothing.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)

    def save(self, request):
        user = super().save(request)
        user.display_name = self.cleaned_data.get("display_name", "")
        user.phone = self.cleaned_data.get("phone", "")
        user.preferred_language = getattr(request, "LANGUAGE_CODE", "id")[:2]
        user.save(update_fields=["display_name", "phone", "preferred_language"])
        return user


class ProfileForm(forms.Form):
    """The account's own details."""

    display_name = forms.CharField(label=_("Display name"), max_length=120, required=False)
    phone = forms.CharField(label=_("WhatsApp number"), max_length=20, required=False)
    preferred_language = forms.ChoiceField(
        label=_("Email language"), choices=[("id", "Bahasa Indonesia"), ("en", "English")]
    )

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "")
        return normalize_indonesian_phone(phone) if phone else ""
