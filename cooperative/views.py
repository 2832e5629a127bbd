"""The printable impact report for the cooperative office (inside Django admin)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .admin_site import FIGURES_PERMISSION
from .forms import PeriodForm
from .stats import impact_report as build_impact_report
from .stats import month_range


def impact_report(request):
    """Sales by district, makers who earned, institutional vs public orders, for a period."""
    if not request.user.has_perm(FIGURES_PERMISSION):
        raise PermissionDenied
    first, _last = month_range()
    data = request.GET if "start" in request.GET else None
    form = PeriodForm(data, initial={"start": first, "end": timezone.localdate()})
    report = None
    if form.is_bound and form.is_valid():
        report = build_impact_report(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
    elif not form.is_bound:
        report = build_impact_report(start=first, end=timezone.localdate())
    context = {
        **admin.site.each_context(request),
        "title": _("Impact report"),
        "form": form,
        "report": report,
    }
    return render(request, "admin/cooperative/impact_report.html", context)
