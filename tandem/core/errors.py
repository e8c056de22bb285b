"""Errors the services raise. Views and the API turn them into messages and 4xx responses.

A service may raise a ValidationError keyed by field (`{"stays": [...]}`): the key is for the
form (to put the message beside its field) and the API (a key of `errors`), never part of the
text a person reads — `error_messages` gives the messages alone.
"""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "error_messages", "field_error"]


def field_error(field: str, message: str) -> ValidationError:
    """A validation error attached to one field, so forms and the API can name it."""
    return ValidationError({field: [message]})


def error_messages(exc: ValidationError) -> list[str]:
    """The messages of `exc` as a person reads them: without the field codes they are keyed
    by, each once, in order."""
    result: list[str] = []
    for message in exc.messages:
        text = str(message)
        if text not in result:
            result.append(text)
    return result
