"""The page of a person's one calendar feed: choose its calendars, see and copy a new address
(shown once: only a hash is stored), make a new one or revoke it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts import services_feed
from tandem.accounts.forms import CalendarFeedForm
from tandem.accounts.models import all_feed_scopes
from tandem.accounts.selectors_feed import calendar_feed_of, calendar_feed_path
from tandem.core.forms import apply_validation_error


def _page(
    request: HttpRequest, form: CalendarFeedForm | None = None, status: int = 200, **extra: Any
) -> HttpResponse:
    feed = calendar_feed_of(request.user)
    if form is None:
        form = CalendarFeedForm(initial={"scopes": feed.scopes if feed else all_feed_scopes()})
    context = {"feed": feed, "form": form, **extra}
    return render(request, "accounts/calendar_feed.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request)
    form = CalendarFeedForm(request.POST)
    if form.is_valid():
        try:
            services_feed.calendar_feed_scopes_set(
                actor=request.user, scopes=form.cleaned_data["scopes"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your calendar feed shows what you chose."))
            return redirect("accounts:calendar_feed")
    return _page(request, form, status=400)


@login_required
@require_POST
def calendar_feed_rotate(request: HttpRequest) -> HttpResponse:
    """Answered with the page itself, not a redirect: the new address is shown only now."""
    before = calendar_feed_of(request.user)
    _feed, token = services_feed.calendar_feed_rotate(actor=request.user)
    address = request.build_absolute_uri(calendar_feed_path(token))
    return _page(request, new_address=address, replaced=bool(before and before.is_live))


@login_required
@require_POST
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    try:
        services_feed.calendar_feed_revoke(actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your calendar address no longer works."))
    return redirect("accounts:calendar_feed")
