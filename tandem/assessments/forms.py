"""Forms of the assessment pages. Choice lists come from the selectors, scoped to the user."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.assessments import selectors
from tandem.assessments.models import WbaForm
from tandem.residency.models import Department


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
        wba_forms, departments = selectors.wba_choices(user, today)
        self.fields["form"].queryset = wba_forms
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


class PlanForm(forms.Form):
    """A plan of a program, for one department or (empty) every department without its own."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=None)
    department = forms.ModelChoiceField(
        label=_("Department (empty: every department)"), queryset=None, required=False
    )
    due_days = forms.IntegerField(
        label=_("Due days after the rotation ends"), min_value=0, max_value=90, initial=14
    )
    theory_pass = forms.IntegerField(
        label=_("Theory exam pass mark"), min_value=0, max_value=100, required=False
    )
    skills_pass = forms.IntegerField(
        label=_("Skills exam pass mark"), min_value=0, max_value=100, required=False
    )
    global_pass = forms.IntegerField(
        label=_("Global evaluation pass mark"), min_value=0, max_value=100, required=False
    )
    attendance_pass = forms.IntegerField(
        label=_("Attendance pass mark"), min_value=0, max_value=100, required=False
    )
    caselog_pass = forms.IntegerField(
        label=_("Case-log completion pass mark"), min_value=0, max_value=100, required=False
    )
    summary_required = forms.BooleanField(
        label=_("Rotation summary required"), required=False, initial=True
    )
    signoff_required = forms.BooleanField(
        label=_("Sign-off required"), required=False, initial=True
    )
    global_template = forms.ModelChoiceField(
        label=_("Global evaluation form"), queryset=None, required=False
    )
    department_template = forms.ModelChoiceField(
        label=_("Form for evaluating the department"), queryset=None, required=False
    )
    teacher_template = forms.ModelChoiceField(
        label=_("Form for evaluating the teachers"), queryset=None, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = selectors.programs_managed_by(user)
        self.fields["department"].queryset = selectors.departments_for_plans(user)
        templates = selectors.templates_for_plans(user)
        self.fields["global_template"].queryset = templates.filter(relationship="tutor_trainee")
        self.fields["department_template"].queryset = templates.filter(relationship="trainee_host")
        self.fields["teacher_template"].queryset = templates.filter(relationship="trainee_tutor")
