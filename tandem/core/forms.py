from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field when the form has it,
    otherwise at the top of the form (naming the field in the message)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                for message in error.messages:
                    if target is None and field != NON_FIELD_ERRORS:
                        message = f"{field}: {message}"
                    form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
