from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from tandem.core.errors import error_messages


def apply_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the named field when the form has it,
    otherwise at the top of the form. The field's code (`stays`, `milestones`) is never put
    into the text: it is the service's name for the field, not the reader's."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for error in errors:
                for message in error_messages(error):
                    form.add_error(target, message)
    else:
        for message in error_messages(exc):
            form.add_error(None, message)


def apply_file_validation_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show the errors of an uploaded file's contents at the top of the form, each after the
    place in the file it is about (`stays[1].end: …`): there the key is the reader's way to
    find what to correct, not a code of ours."""
    if not hasattr(exc, "error_dict"):
        apply_validation_error(form, exc)
        return
    for where, errors in exc.error_dict.items():
        for error in errors:
            for message in error_messages(error):
                form.add_error(
                    None, message if where == NON_FIELD_ERRORS else f"{where}: {message}"
                )
