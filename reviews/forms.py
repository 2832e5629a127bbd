from django import forms
from django.utils.translation import gettext_lazy as _

RATING_CHOICES = [
    (5, _("5 – excellent")),
    (4, _("4 – good")),
    (3, _("3 – fair")),
    (2, _("2 – poor")),
    (1, _("1 – bad")),
]


class ReviewForm(forms.Form):
    """A rating, words and an optional photo; the photo is checked by the service."""

    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your review"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What did you like? How are the colours, the cloth, the packing?"),
    )
    # A plain file field: core.images checks the content, whatever the name or type claims.
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("A JPEG, PNG or WebP photo of what you received."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your reply"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("You can reply once; the reply is shown under the review."),
    )


class HideForm(forms.Form):
    """The reason the cooperative's admin gives when hiding reviews."""

    reason = forms.CharField(
        label=_("Reason (the reviewer reads this)"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
    )
