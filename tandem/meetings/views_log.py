"""Pages of the mentoring log and the minutes export."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.core.forms import apply_validation_error
from tandem.core.pagination import paginate, query_without_page
from tandem.meetings import minutes, permissions, selectors, services_log
from tandem.meetings.forms import ContactFilterForm, ContactForm


@login_required
@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    filters = ContactFilterForm(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    queryset = selectors.contact_list_for_page(request.user, kind=values.get("kind") or "")
    context = {
        "filters": filters,
        "page_obj": paginate(request, queryset),
        "query": query_without_page(request),
        "can_log": selectors.loggable_cultivations(request.user).exists(),
    }
    if request.htmx:
        return render(request, "meetings/_contact_results.html", context)
    return render(request, "meetings/contact_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest) -> HttpResponse:
    cultivations = selectors.loggable_cultivations(request.user)
    if not cultivations.exists():
        raise PermissionDenied(_("Only the tutors of a pair and their trainee keep this log."))
    form = ContactForm(request.POST or None, cultivations=cultivations)
    if request.method == "POST":
        if form.is_valid():
            try:
                services_log.contact_log(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The contact is logged."))
                return redirect("meetings:contact_list")
        return render(request, "meetings/contact_form.html", {"form": form}, status=400)
    return render(request, "meetings/contact_form.html", {"form": form})


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user_or_404(request.user, pk)
    if not permissions.can_manage_meeting(request.user, meeting):
        raise PermissionDenied(_("The minutes are for the tutors and coordinators."))
    language = request.GET.get("lang") or translation.get_language() or "en"
    if language not in dict(settings.LANGUAGES):
        language = "en"
    pdf = minutes.minutes_pdf(request.user, meeting, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"minutes-{meeting.pk}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
