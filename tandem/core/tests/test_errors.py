from django import forms
from django.core.exceptions import ValidationError

from tandem.core.errors import error_messages
from tandem.core.forms import apply_validation_error


class _TitleForm(forms.Form):
    title = forms.CharField(required=False)


def _bound() -> _TitleForm:
    form = _TitleForm(data={"title": "x"})
    assert form.is_valid()
    return form


def test_an_error_on_a_field_the_form_lacks_is_shown_at_the_top_without_its_code():
    form = _bound()
    apply_validation_error(form, ValidationError({"stays": ["Give at least one stay."]}))
    assert form.non_field_errors() == ["Give at least one stay."]


def test_an_error_on_a_field_the_form_has_is_shown_on_that_field():
    form = _bound()
    apply_validation_error(form, ValidationError({"title": ["Too long."], "__all__": ["No."]}))
    assert form.errors["title"] == ["Too long."]
    assert form.non_field_errors() == ["No."]


def test_error_messages_are_the_texts_alone_each_once():
    exc = ValidationError({"milestones": ["Missing milestones: Thesis."], "credits": ["Few."]})
    assert error_messages(exc) == ["Missing milestones: Thesis.", "Few."]
    assert error_messages(ValidationError(["A.", "A."])) == ["A."]
