"""Forms of the plan pages. They only shape input; the services decide what is allowed."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.cultivation.models import JointCultivation
from tandem.plans.models import CourseKind, MilestoneKind, ReviewOutcome

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Search trainee or topic"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("Plan"),
        required=False,
        choices=[
            ("", _("Any")),
            ("none", _("No plan yet")),
            ("open", _("Version being written")),
            ("signed", _("Signed plan in force")),
        ],
    )


class TopicForm(forms.Form):
    research_topic = forms.CharField(label=_("Research topic"), max_length=300)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Course"), max_length=200)
    credits = forms.DecimalField(label=_("Credits"), max_digits=4, decimal_places=1)
    kind = forms.ChoiceField(label=_("Kind"), choices=CourseKind.choices)
    institution = forms.TypedChoiceField(label=_("Taught at"), coerce=int)
    term = forms.CharField(
        label=pgettext_lazy("course", "Term"),
        max_length=40,
        required=False,
        help_text=_("For example: 2026 autumn."),
    )

    def __init__(self, *args: Any, cultivation: JointCultivation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {cultivation.home_id: cultivation.home, cultivation.host_id: cultivation.host}
        self.fields["institution"].choices = [  # type: ignore[attr-defined]
            (pk, str(inst)) for pk, inst in self.sites.items()
        ]


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=MilestoneKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the kind of milestone."),
    )
    earliest = forms.DateField(label=_("Earliest"), widget=DATE)
    latest = forms.DateField(label=_("Latest"), widget=DATE)


class WindowForm(forms.Form):
    earliest = forms.DateField(label=_("Earliest"), widget=DATE)
    latest = forms.DateField(label=_("Latest"), widget=DATE)


class ReviseForm(forms.Form):
    reason_kind = forms.ChoiceField(
        label=_("Kind of change"),
        choices=[
            ("ordinary", _("Ordinary adjustment")),
            ("health", _("Health reasons (confidential)")),
        ],
        widget=forms.RadioSelect,
        initial="ordinary",
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_(
            "For health reasons, only the coordinators of home and host, the two tutors "
            'and the trainee can read it; everyone else sees "adjusted for personal '
            'reasons".'
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class SubmitForm(forms.Form):
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, images, Word, Excel or PowerPoint documents."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("review", "Outcome"),
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
    )
    examiners = forms.CharField(label=_("Examiners"), required=False, max_length=300)
    comments = forms.CharField(
        label=_("Examiners' comments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=8000,
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Joint record (JSON)"))
