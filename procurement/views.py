"""The institution's pages: its requests, drafting one, sending or withdrawing it.

Only members of the institution see its requests; makers' prices never appear here (the
cooperative's quote will).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import RequestForm
from .models import InstitutionMember, ProcurementRequest


def _membership(user) -> InstitutionMember:
    membership = InstitutionMember.objects.select_related("institution").filter(user=user).first()
    if membership is None:
        raise Http404
    return membership


def _own_request(user, pk: int) -> ProcurementRequest:
    membership = _membership(user)
    return get_object_or_404(
        ProcurementRequest.objects.prefetch_related("sizes", "motifs"),
        pk=pk,
        institution=membership.institution,
    )


@login_required
def request_list(request):
    membership = _membership(request.user)
    requests = membership.institution.requests.prefetch_related("sizes")
    return render(
        request,
        "procurement/request_list.html",
        {"institution": membership.institution, "membership": membership, "requests": requests},
    )


@login_required
def request_create(request):
    membership = _membership(request.user)
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            draft = form.save(commit=False)
            draft.institution = membership.institution
            draft.created_by = request.user
            draft.save()
            form.save_m2m()
            services.set_sizes(request=draft, counts=form.size_counts(), staff=form.staff)
        messages.success(request, _("Draft saved. Check it, then send it to the cooperative."))
        return redirect("procurement:request-detail", pk=draft.pk)
    return render(
        request,
        "procurement/request_form.html",
        {"institution": membership.institution, "form": form},
    )


@login_required
def request_detail(request, pk: int):
    draft = _own_request(request.user, pk)
    return render(
        request,
        "procurement/request_detail.html",
        {
            "item": draft,
            "sizes": list(draft.sizes.all()),
            "total": sum(row.quantity for row in draft.sizes.all()),
            "staff_count": draft.staff.count(),
            "is_verified": draft.institution.is_verified,
        },
    )


@require_POST
@login_required
def request_submit(request, pk: int):
    draft = _own_request(request.user, pk)
    try:
        services.submit_request(request=draft, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent. The cooperative will invite makers and send a quote."))
    return redirect("procurement:request-detail", pk=draft.pk)


@require_POST
@login_required
def request_withdraw(request, pk: int):
    draft = _own_request(request.user, pk)
    services.withdraw_request(request=draft, by=request.user)
    messages.info(request, _("The request is withdrawn."))
    return redirect("procurement:request-detail", pk=draft.pk)
