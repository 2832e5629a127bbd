"""Admin actions that ask the cooperative for a reason before they change anything."""

from collections.abc import Callable

from django.contrib import admin
from django.template.response import TemplateResponse


def ask_reason_then(
    modeladmin: admin.ModelAdmin,
    request,
    queryset,
    *,
    form_class,
    title: str,
    explanation: str,
    submit_label: str,
    describe: Callable[[object], str],
    apply: Callable[[str], None],
) -> TemplateResponse | None:
    """Show the selected objects and a reason form; once a valid reason is posted, apply it.

    `form_class` has one field, `reason`; `describe` says what each selected object is.
    """
    form = form_class(request.POST if "reason" in request.POST else None)
    if form.is_bound and form.is_valid():
        apply(form.cleaned_data["reason"])
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "explanation": explanation,
        "submit_label": submit_label,
        "opts": modeladmin.model._meta,
        "items": [(obj.pk, describe(obj)) for obj in queryset],
        "form": form,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/reason_action.html", context)
