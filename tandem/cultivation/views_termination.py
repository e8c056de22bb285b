"""The termination preview page (decision 098): the coordinators of both institutions see every
change confirming a termination request makes; the other institution's coordinator confirms
there, with the preview's fingerprint, so what they confirm is what they saw."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tandem.core.forms import apply_validation_error
from tandem.cultivation import permissions, selectors_termination, services_ending
from tandem.cultivation.models import TutorRole
from tandem.cultivation.services_termination import termination_preview


class TerminationConfirmForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Your institution's comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


@login_required
@require_http_methods(["GET", "POST"])
def termination_preview_page(request: HttpRequest, pk: int, ending_pk: int) -> HttpResponse:
    ending = selectors_termination.termination_request_for_user_or_404(request.user, pk, ending_pk)
    cultivation = ending.cultivation
    may_confirm = permissions.can_answer_ending(request.user, ending)
    form = TerminationConfirmForm(request.POST or None)
    if request.method == "POST":
        if not may_confirm:
            raise PermissionDenied(
                _("Only a coordinator of the other institution confirms or declines this request.")
            )
        if form.is_valid():
            try:
                services_ending.ending_confirm(
                    actor=request.user,
                    ending=ending,
                    reason=form.cleaned_data.get("reason") or "",
                    fingerprint=form.cleaned_data["fingerprint"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    _("The joint cultivation is terminated; everything listed is closed."),
                )
                return redirect("cultivation:detail", pk=cultivation.pk)
    plan = termination_preview(cultivation, on=timezone.localdate())
    if request.method == "GET":
        form = TerminationConfirmForm(initial={"fingerprint": plan.fingerprint})
    else:
        # Confirming again means confirming the plan shown now.
        data = request.POST.copy()
        data["fingerprint"] = plan.fingerprint
        form.data = data
    return render(
        request,
        "cultivation/termination.html",
        {
            "cultivation": cultivation,
            "ending": ending,
            "plan": plan,
            "tutors": [(t, TutorRole(t.role).label) for t in plan.tutors_ended],
            "memberships": selectors_termination.memberships_kept(plan),
            "host_from": plan.on + datetime.timedelta(days=1),
            "may_confirm": may_confirm,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
