"""Forms of the joint cultivation pages. They only shape input; the services decide."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.agreements.models import AgreementStatus
from tandem.agreements.selectors import agreement_list_visible_to
from tandem.core.forms import apply_validation_error
from tandem.cultivation.models import (
    GROUNDS_FOR,
    CultivationStatus,
    EndingGround,
    StayMode,
    TutorRole,
)
from tandem.cultivation.selectors import trainee_list_proposable_by
from tandem.institutions.models import Institution
from tandem.institutions.selectors import institution_choices_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CultivationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search trainee or topic"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *CultivationStatus.choices],
    )
    institution = forms.ModelChoiceField(
        label=_("Home or host"),
        required=False,
        empty_label=_("Any institution"),
        queryset=Institution.objects.none(),
    )
    agreement = forms.TypedChoiceField(
        label=_("Agreement"), required=False, coerce=int, empty_value=None
    )
    incomplete = forms.BooleanField(label=_("Incomplete only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices_for(user)  # type: ignore[attr-defined]
        agreements = agreement_list_visible_to(user).only("pk", "title", "version")[:200]
        field = self.fields["agreement"]
        field.choices = [
            ("", _("Any agreement")),  # type: ignore[attr-defined]
            *((a.pk, str(a)) for a in agreements),
        ]


NOT_A_PARTY = _("Choose one of the parties to the chosen agreement.")


class ProposeForm(forms.Form):
    """Offers only trainees who may be proposed, and as home and host only the parties to the
    chosen agreement (the first one until another is chosen)."""

    trainee = forms.ModelChoiceField(
        label=_("Trainee"),
        queryset=User.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Choose a postgraduate of your institutions who has no open joint cultivation."
            )
        },
    )
    agreement = forms.TypedChoiceField(label=_("Agreement"), coerce=int)
    home = forms.ModelChoiceField(
        label=_("Home institution (enrolment)"),
        queryset=Institution.objects.none(),
        error_messages={"invalid_choice": NOT_A_PARTY},
    )
    host = forms.ModelChoiceField(
        label=_("Host institution (research)"),
        queryset=Institution.objects.none(),
        error_messages={"invalid_choice": NOT_A_PARTY},
    )
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)
    stay_mode = forms.ChoiceField(label=_("Stays"), choices=StayMode.choices)
    research_topic = forms.CharField(label=_("Research topic"), required=False, max_length=300)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainee"].queryset = (  # type: ignore[attr-defined]
            trainee_list_proposable_by(user)
        )
        agreements = agreement_list_visible_to(user).filter(status=AgreementStatus.ACTIVE)
        self.agreements = {a.pk: a for a in agreements}
        self.fields["agreement"].choices = [  # type: ignore[attr-defined]
            (a.pk, f"{a} ({a.get_form_display()}, {a.start_date} – {a.end_date})")
            for a in self.agreements.values()
        ]
        chosen = self.data.get("agreement") if self.is_bound else self.initial.get("agreement")
        agreement = self.agreements.get(int(chosen)) if str(chosen or "").isdigit() else None
        if agreement is None and self.agreements:
            agreement = next(iter(self.agreements.values()))
        parties = institution_choices_for(user).filter(agreement_parties__agreement=agreement)
        if agreement is None:
            parties = parties.none()
        for side in ("home", "host"):
            self.fields[side].queryset = parties  # type: ignore[attr-defined]
        self.fields["agreement"].widget.attrs.update(
            {
                "hx-get": reverse("cultivation:propose"),
                "hx-trigger": "change",
                "hx-select": "#propose-sides",
                "hx-target": "#propose-sides",
                "hx-swap": "outerHTML",
            }
        )


class StayForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Site"), required=False, queryset=Institution.objects.none()
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("Until"), required=False, widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institution_choices_for(user)  # type: ignore[attr-defined]


MIN_STAY_ROWS = 3


def stay_formset(data: Any = None, *, user: Any) -> Any:
    return formset_factory(StayForm, extra=MIN_STAY_ROWS, max_num=20)(
        data, prefix="stays", form_kwargs={"user": user}
    )


def filled_stays(formset: Any) -> list[tuple[int, dict]]:
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", {}) or {}
        if any(data.get(key) not in (None, "") for key in ("institution", "start", "end")):
            rows.append((index, data))
    return rows


ROW_ERROR = re.compile(r"^stays\[(?P<row>\d+)\]\.(?P<field>\w+)$")


def apply_stay_error(
    form: forms.BaseForm, formset: Any, indexes: list[int], exc: ValidationError
) -> None:
    """Show a service error on the stay row and field it names (`stays[1].end`)."""
    if not hasattr(exc, "error_dict"):
        apply_validation_error(form, exc)
        return
    rest: dict[str, list] = {}
    for key, errors in exc.error_dict.items():
        match = ROW_ERROR.match(key)
        if match and int(match["row"]) < len(indexes):
            target = formset.forms[indexes[int(match["row"])]]
            for error in errors:
                for message in error.messages:
                    target.add_error(match["field"], message)
            continue
        rest[key] = errors
    if rest:
        apply_validation_error(form, ValidationError(rest))


class EndingForm(forms.Form):
    """A request to suspend, complete or terminate: a ground from the fixed list, and why."""

    ground = forms.ChoiceField(label=_("Ground"), choices=())
    reason = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The other institution sees it when it confirms or declines."),
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(EndingGround.choices)
        self.fields["ground"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((code, labels[code]) for code in GROUNDS_FOR[kind]),
        ]


class EndingAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[("confirm", _("Confirm")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Needed to decline."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Recorded with the decision."),
    )


class ApproveForm(ReasonForm):
    institution = forms.TypedChoiceField(label=_("Approve for"), coerce=int, required=False)

    def __init__(self, *args: Any, institutions: list[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["institution"]
        field.choices = [(i.pk, str(i)) for i in institutions]  # type: ignore[attr-defined]
        if institutions:
            field.initial = institutions[0].pk


class TutorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "tutor_profile", None)
        return f"{obj} — {profile.get_qualification_display()}" if profile else str(obj)


class AssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=TutorRole.choices)
    tutor = TutorChoiceField(label=_("Tutor"), queryset=User.objects.none())

    def __init__(self, *args: Any, tutors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutors  # type: ignore[attr-defined]


class ChangeRequestForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=TutorRole.choices)
    new_tutor = TutorChoiceField(label=_("New tutor"), queryset=User.objects.none())
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args: Any, tutors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_tutor"].queryset = tutors  # type: ignore[attr-defined]


class DivisionForm(forms.Form):
    """One role choice per item; the items come from the division or the template."""

    def __init__(
        self, *args: Any, items: list[Any], initial_roles: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for index, (item, role) in enumerate(zip(items, initial_roles, strict=True)):
            self.fields[f"role_{index}"] = forms.ChoiceField(
                label=item.label,
                choices=TutorRole.choices,
                initial=role or None,
                widget=forms.RadioSelect,
            )

    def payload(self) -> list[dict[str, str]]:
        return [
            {"key": item.key, "title": item.title, "role": self.cleaned_data[f"role_{index}"]}
            for index, item in enumerate(self.items)
        ]


class TemplateItemForm(forms.Form):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Wording"), required=False, max_length=200)
    remove = forms.BooleanField(label=_("Remove"), required=False)


def template_formset(data: Any = None, initial: list[dict] | None = None) -> Any:
    return formset_factory(TemplateItemForm, extra=2, max_num=30)(
        data, initial=initial or [], prefix="items"
    )


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Provider"), required=False, max_length=200)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1)
    date = forms.DateField(label=_("Date"), widget=DATE)
    certificate = forms.FileField(
        label=_("Certificate"), required=False, help_text=_("PDF or image.")
    )


class LoadForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2200)


class TrainingRequirementForm(forms.Form):
    hours_per_period = forms.DecimalField(
        label=_("Training hours required per year"),
        max_digits=5,
        decimal_places=1,
        min_value=0,
        max_value=1000,
    )
    period_start_month = forms.IntegerField(
        label=_("The year is counted from the month"),
        min_value=1,
        max_value=12,
        initial=9,
        help_text=_("1 for the calendar year; 9 for an academic year from September."),
    )
    mandatory_courses = forms.CharField(
        label=_("Mandatory courses for new tutors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One course per line, named as the training records name it."),
    )
    new_tutor_months = forms.IntegerField(
        label=_("A tutor counts as new for this many months after their first joint trainee"),
        min_value=0,
        max_value=120,
        initial=12,
        help_text=_("0: only a tutor who has never tutored a joint trainee is new."),
    )


class InsuranceForm(forms.Form):
    insurer = forms.CharField(label=_("Insurer"), max_length=200)
    policy_number = forms.CharField(label=_("Policy number"), max_length=100)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("Valid until"), widget=DATE)
