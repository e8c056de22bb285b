"""Helpers for the tests that a page's button predicate and the service agree."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tandem.core import tenancy

# The cast members who act (the anonymous visitor never reaches a service).
ACTING = ("admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee", "resident", "outsider")


def outcome(user: Any, call: Callable[[], object]) -> str:
    """ "accepted", "forbidden" (PermissionDenied) or "invalid" (ValidationError); what the call
    changed is rolled back either way."""
    try:
        with transaction.atomic():
            call()
            transaction.set_rollback(True)
    except PermissionDenied:
        return "forbidden"
    except ValidationError:
        return "invalid"
    finally:
        tenancy.forget(user)
    return "accepted"


def accepted(user: Any, call: Callable[[], object]) -> bool:
    return outcome(user, call) == "accepted"
