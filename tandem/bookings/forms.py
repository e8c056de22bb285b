"""Forms only collect input; the services decide what is valid."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.bookings import selectors
from tandem.bookings.models import WEEKDAYS, BookingRules, BookingStatus
from tandem.bookings.reports import GROUPS
from tandem.cultivation.selectors import cultivation_list_visible_to
from tandem.funds.selectors import fund_list_chargeable_by
from tandem.resources.models import SharedResource

WEEKDAY_NAMES = {
    1: _("Monday"),
    2: _("Tuesday"),
    3: _("Wednesday"),
    4: _("Thursday"),
    5: _("Friday"),
    6: _("Saturday"),
    7: _("Sunday"),
}


class BookingFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *BookingStatus.choices]
    )
    resource = forms.ModelChoiceField(
        label=_("Resource"),
        required=False,
        queryset=SharedResource.objects.none(),
        empty_label=_("All resources"),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    mine = forms.BooleanField(label=_("Only my bookings"), required=False)
    awaiting_me = forms.BooleanField(label=_("Awaiting my decision"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = (  # type: ignore[attr-defined]
            selectors.booking_resource_filter_choices(user)
        )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "resource_id": data["resource"].pk if data["resource"] else None,
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "mine": data["mine"],
            "awaiting_me": data["awaiting_me"],
            "search": data["q"].strip(),
        }


class BookingForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=300)
    fund = forms.ModelChoiceField(
        label=_("Fund to charge"),
        required=False,
        queryset=None,
        help_text=_("Needed when the resource costs money."),
    )
    for_cultivation = forms.ModelChoiceField(
        label=_("For the joint cultivation"), required=False, queryset=None
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["fund"].queryset = fund_list_chargeable_by(user)  # type: ignore[attr-defined]
        self.fields["for_cultivation"].queryset = (  # type: ignore[attr-defined]
            cultivation_list_visible_to(user).filter(trainee=user).select_related("trainee")
        )

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        data = self.cleaned_data
        start = timezone.make_aware(datetime.datetime.combine(data["day"], data["start_time"]))
        end = timezone.make_aware(datetime.datetime.combine(data["day"], data["end_time"]))
        return start, end


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[(BookingStatus.COMPLETED, _("Completed")), (BookingStatus.NO_SHOW, _("No-show"))],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class RulesForm(forms.Form):
    slot_minutes = forms.IntegerField(label=_("Slot length (minutes)"), min_value=5, initial=30)
    max_booking_minutes = forms.IntegerField(
        label=_("Longest booking (minutes)"), min_value=5, initial=240
    )
    min_notice_hours = forms.IntegerField(
        label=_("Minimum notice (hours)"), min_value=0, initial=24
    )
    max_advance_days = forms.IntegerField(
        label=_("Book at most this many days ahead"), min_value=1, initial=60
    )
    approval_required = forms.BooleanField(label=_("Approval needed"), required=False, initial=True)
    cost_per_hour = forms.DecimalField(
        label=_("Cost per hour (CNY)"), min_value=0, decimal_places=2, initial=0
    )
    charge_no_show = forms.BooleanField(label=_("Charge no-shows"), required=False, initial=True)

    def __init__(self, *args: Any, instance: BookingRules | None = None, **kwargs: Any) -> None:
        hours = (
            instance.opening_hours
            if instance
            else {str(d): ["08:00", "18:00"] for d in (1, 2, 3, 4, 5)}
        )
        if "initial" not in kwargs:
            initial: dict[str, Any] = {}
            if instance is not None:
                initial = {name: getattr(instance, name) for name in self.base_fields}
            for day in WEEKDAYS:
                pair = hours.get(str(day)) or ["", ""]
                initial[f"opens_{day}"], initial[f"closes_{day}"] = pair
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for day in WEEKDAYS:
            name = WEEKDAY_NAMES[day]
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": name},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": name},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    def weekday_fields(self) -> list[tuple[str, Any, Any]]:
        return [(WEEKDAY_NAMES[d], self[f"opens_{d}"], self[f"closes_{d}"]) for d in WEEKDAYS]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "slot_minutes",
                "max_booking_minutes",
                "min_notice_hours",
                "max_advance_days",
                "approval_required",
                "cost_per_hour",
                "charge_no_show",
            )
        }
        values["opening_hours"] = {
            str(d): [data[f"opens_{d}"].strftime("%H:%M"), data[f"closes_{d}"].strftime("%H:%M")]
            for d in WEEKDAYS
            if data.get(f"opens_{d}") and data.get(f"closes_{d}")
        }
        return values


class ReportForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Per"),
        choices=[(key, label) for key, (label, *_rest) in GROUPS.items()],
        required=False,
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self) -> tuple[str, datetime.date, datetime.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - datetime.timedelta(days=29)
        if date_from > date_to:
            date_from, date_to = date_to, date_from
        return data.get("group") or "resource", date_from, date_to
