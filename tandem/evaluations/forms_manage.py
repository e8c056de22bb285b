"""Forms of the pages that run rounds. Choice lists come from the selectors, scoped to the
user; the services check everything again."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.evaluations import selectors, selectors_manage
from tandem.evaluations.models import EvaluationPair, PopulationKind, Relationship

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def template_field_name(relationship: str) -> str:
    return f"template_{relationship}"


class TemplateChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_title)


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


class RoundOpenForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200, required=False)
    institution = forms.ModelChoiceField(label=_("Run by"), queryset=None)
    population = forms.ChoiceField(label=_("Who is evaluated"), choices=PopulationKind.choices)
    agreement = forms.ModelChoiceField(
        label=_("Agreement"),
        queryset=None,
        required=False,
        help_text=_("For an agreement's joint trainees."),
    )
    cohort = forms.IntegerField(
        label=_("Cohort (year of entry)"),
        required=False,
        min_value=1900,
        max_value=2200,
        help_text=_("For a cohort of the institution's joint trainees."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    evaluators = PeopleChoice(
        label=_("Assigned evaluators"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For “assigned evaluator evaluates the trainee”: the panel members who evaluate "
            "each trainee. None ticked: every evaluator of the institution running the round."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution = self.fields["institution"]
        assert isinstance(institution, forms.ModelChoiceField)
        institution.queryset = selectors_manage.round_institution_choices(user)
        if institution.queryset.count() == 1:
            institution.initial = institution.queryset.first()
        agreement = self.fields["agreement"]
        assert isinstance(agreement, forms.ModelChoiceField)
        agreement.queryset = selectors_manage.round_agreement_choices(user)
        evaluators = self.fields["evaluators"]
        assert isinstance(evaluators, forms.ModelMultipleChoiceField)
        evaluators.queryset = selectors_manage.round_evaluator_choices(user)
        for relationship, label in Relationship.choices:
            self.fields[template_field_name(relationship)] = TemplateChoice(
                label=label,
                queryset=selectors.template_choices_for(user, relationship).order_by("title"),
                required=False,
                empty_label=_("— not evaluated in this round —"),
            )

    def template_fields(self) -> list[Any]:
        return [self[template_field_name(rel)] for rel in Relationship.values]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, due_on = data.get("opens_on"), data.get("due_on")
        if opens_on and due_on and due_on < opens_on:
            self.add_error("due_on", _("The due date cannot be before the opening date."))
        if not any(data.get(template_field_name(rel)) for rel in Relationship.values):
            self.add_error(None, _("Choose a template for at least one relationship."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "institution": data["institution"],
            "title": data["title"],
            "title_zh": data.get("title_zh") or "",
            "population": data["population"],
            "agreement": data.get("agreement"),
            "cohort": data.get("cohort"),
            "opens_on": data["opens_on"],
            "due_on": data["due_on"],
            "evaluators": list(data.get("evaluators") or []),
            "templates": {
                rel: data[template_field_name(rel)]
                for rel in Relationship.values
                if data.get(template_field_name(rel))
            },
        }


REASON = forms.CharField(
    label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
)


class PairExtendForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=DATE)
    reason = REASON


class EvaluatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


class PairReassignForm(forms.Form):
    evaluator = EvaluatorChoice(label=_("Give it to"), queryset=None)
    reason = REASON

    def __init__(self, *args: Any, user: Any, pair: EvaluationPair, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evaluator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = selectors.reassign_choices_for(user, pair)


class PairWithdrawForm(forms.Form):
    reason = REASON


class CommentHideForm(forms.Form):
    answer = forms.UUIDField(widget=forms.HiddenInput)
    reason = REASON
