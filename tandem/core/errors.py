"""Errors the services raise. Views and the API turn them into messages and 4xx responses."""

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ValidationError", "field_error"]


def field_error(field: str, message: str) -> ValidationError:
    """A validation error attached to one field, so forms and the API can name it."""
    return ValidationError({field: [message]})
