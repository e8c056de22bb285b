"""The page "Capacity by block" of a department: how many residents it takes in each block of a
calendar, where that differs from the department's own numbers."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from tandem.core.audit import audit_history
from tandem.residency import capacity, permissions, selectors


class CalendarChoiceForm(forms.Form):
    calendar = forms.ModelChoiceField(label=_("Block calendar"), queryset=None, empty_label=None)

    def __init__(self, *args: Any, calendars: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["calendar"].queryset = calendars  # type: ignore[attr-defined]


class CapacityForm(forms.Form):
    """Two optional numbers per block, `min_<index>` and `max_<index>`; blank keeps the
    department's own number (shown as the placeholder)."""

    def __init__(
        self, *args: Any, blocks: list[capacity.BlockCapacity], department: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.blocks = blocks
        for row in blocks:
            for side, label, default, current in (
                (
                    "min",
                    gettext("Block %(number)s: residents at least"),
                    department.min_per_block,
                    row.override_min,
                ),
                (
                    "max",
                    gettext("Block %(number)s: residents at most"),
                    department.max_per_block,
                    row.override_max,
                ),
            ):
                self.fields[f"{side}_{row.block.index}"] = forms.IntegerField(
                    label=label % {"number": row.number},
                    required=False,
                    min_value=0,
                    max_value=capacity.MAX_RESIDENTS,
                    initial=current,
                    widget=forms.NumberInput(attrs={"placeholder": default}),
                )

    def table(self) -> list[tuple[capacity.BlockCapacity, Any, Any]]:
        return [
            (row, self[f"min_{row.block.index}"], self[f"max_{row.block.index}"])
            for row in self.blocks
        ]

    def rows(self) -> dict[int, capacity.Row]:
        result: dict[int, capacity.Row] = {}
        for row in self.blocks:
            low = self.cleaned_data.get(f"min_{row.block.index}")
            high = self.cleaned_data.get(f"max_{row.block.index}")
            result[row.block.index] = None if low is None and high is None else (low, high)
        return result


def _calendar(request: HttpRequest, department: Any, calendars: Any) -> Any:
    """The calendar asked for (?calendar=), else the newest; None when there is none."""
    wanted = request.GET.get("calendar")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        return capacity.calendar_for_department_or_404(request.user, department, int(wanted))
    return calendars.first()


@login_required
@require_http_methods(["GET", "POST"])
def department_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    department = selectors.department_get_for_user_or_404(request.user, pk)
    if not permissions.can_edit_department(request.user, department):
        raise PermissionDenied(
            gettext("Only the training office or the base's director can edit this department.")
        )
    calendars = capacity.calendar_list_for_department(request.user, department)
    calendar = _calendar(request, department, calendars)
    context: dict[str, Any] = {
        "department": department,
        "calendar": calendar,
        "choice": CalendarChoiceForm(
            calendars=calendars, initial={"calendar": calendar.pk if calendar else None}
        ),
        "history": audit_history(department).filter(action="department.capacity_set")[:50],
    }
    if calendar is None:
        return render(request, "residency/capacity_form.html", context)
    blocks = capacity.capacity_by_block(department, calendar)
    form = CapacityForm(
        request.POST if request.method == "POST" else None, blocks=blocks, department=department
    )
    context["form"] = form
    if request.method == "POST":
        if form.is_valid():
            try:
                capacity.capacity_set(
                    actor=request.user, department=department, calendar=calendar, rows=form.rows()
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, gettext("The capacity by block is saved."))
                url = reverse("residency:department_capacity", args=[department.pk])
                return redirect(f"{url}?calendar={calendar.pk}")
        return render(request, "residency/capacity_form.html", context, status=400)
    return render(request, "residency/capacity_form.html", context)
