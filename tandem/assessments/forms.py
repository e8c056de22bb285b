"""Forms of the assessment pages. Choice lists come from the selectors, scoped to the user."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.assessments import selectors
from tandem.assessments.models import WbaForm
from tandem.residency.models import CohortMember, Department


class WbaStartForm(forms.Form):
    """One screen on a phone: form, rotation, teacher, case, a rating per domain, feedback.
    The rating fields follow the chosen form (`?form=` or the posted one)."""

    form = forms.ModelChoiceField(label=_("Assessment form"), queryset=WbaForm.objects.none())
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    case = forms.CharField(label=_("Case or procedure"), max_length=200)
    feedback = forms.CharField(
        label=_("Feedback"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, user: Any, chosen: WbaForm | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        stints = selectors.current_stints(user, today)
        members = CohortMember.objects.filter(pk__in={s.member_id for s in stints})
        form_ids: set[int] = set()
        for member in members:
            form_ids |= set(selectors.forms_for_member(member).values_list("pk", flat=True))
        self.fields["form"].queryset = WbaForm.objects.filter(pk__in=form_ids)
        departments = Department.objects.filter(pk__in={s.department_id for s in stints})
        self.fields["department"].queryset = departments
        self.fields["teacher"].queryset = selectors.teachers_of_departments(
            departments.values("pk"), user.pk
        )
        self.fields["teacher"].label_from_instance = lambda u: u.full_name or u.username
        self.initial.setdefault("date", today)
        if departments.count() == 1:
            self.initial.setdefault("department", departments.first())
        self.chosen = chosen
        if chosen is not None:
            self.initial.setdefault("form", chosen)
            choices = [("", "—")] + [
                (str(n), str(n)) for n in range(chosen.scale_min, chosen.scale_max + 1)
            ]
            for code, label in chosen.domain_labels():
                self.fields[f"rating_{code}"] = forms.TypedChoiceField(
                    label=label, choices=choices, coerce=int
                )

    def ratings(self) -> dict[str, int]:
        return {
            name.removeprefix("rating_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("rating_")
        }
