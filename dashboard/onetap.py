"""The maker's one-tap page from WhatsApp: accept or decline one new sub-order, no password.

The link itself is the permission, for that sub-order and that maker only (`orders.onetap`);
a GET only shows the order (link previews fetch it), a POST accepts or declines it.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from orders import onetap
from orders.forms import AcceptForm, DeclineForm
from orders.models import SubOrder

S = SubOrder.Status
UNUSABLE_STATUS = {"forged": 404, "expired": 410, "used": 410, "other-account": 403, "closed": 410}


def _unusable(request, reason: str):
    reasons = {
        "forged": _("This link is not valid."),
        "expired": _("This link has expired."),
        "used": _("This link was already used."),
        "other-account": _("This link belongs to another maker's account."),
        "closed": _("This order no longer waits for an answer."),
    }
    return render(
        request,
        "dashboard/one_tap_unusable.html",
        {"reason": reasons[reason]},
        status=UNUSABLE_STATUS[reason],
    )


@never_cache
def one_tap(request, token: str):
    try:
        link = onetap.open_link(token, user=request.user)
    except onetap.LinkUnusable as error:
        return _unusable(request, error.reason)
    accept_form, decline_form = AcceptForm.proposing(link.suborder), DeclineForm()
    if request.method == "POST":
        action = request.POST.get("action")
        form = AcceptForm(request.POST) if action == "accept" else DeclineForm(request.POST)
        to = S.ACCEPTED if action == "accept" else S.DECLINED
        if action == "accept":
            accept_form = form
        else:
            decline_form = form
        if form.is_valid():
            try:
                suborder = onetap.use_link(
                    token=token, to=to, user=request.user, **form.cleaned_data
                )
            except onetap.LinkUnusable as error:
                return _unusable(request, error.reason)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(
                    request,
                    "dashboard/one_tap_done.html",
                    {"suborder": suborder, "order": suborder.order, "accepted": to == S.ACCEPTED},
                )
    suborder = link.suborder
    context = {
        "link": link,
        "suborder": suborder,
        "order": suborder.order,
        "lines": list(suborder.lines.all()),
        "accept_form": accept_form,
        "decline_form": decline_form,
    }
    return render(request, "dashboard/one_tap.html", context)
