"""`{% load may %}`: the permission predicates the views ask, offered to templates so that a
page shows a link only to those who may follow it.

Each filter calls the very predicate (or visible-to selector) the linked view checks, so a
template never restates a rule: `{% if user|may_use_tutor_workspace %}`.
"""

from typing import Any

from django import template

from tandem.bookings import permissions as bookings_permissions
from tandem.cultivation import permissions as cultivation_permissions
from tandem.funds import permissions as funds_permissions
from tandem.funds import selectors as funds_selectors
from tandem.portal import permissions as portal_permissions

register = template.Library()


@register.filter
def may_use_tutor_workspace(user: Any) -> bool:
    """`portal:workspace`."""
    return cultivation_permissions.can_use_workspace(user)


@register.filter
def may_view_benchmarks(user: Any) -> bool:
    """`portal:benchmark` and its export."""
    return portal_permissions.can_view_benchmarks(user)


@register.filter
def may_see_usage_reports(user: Any) -> bool:
    """`bookings:report` and its export."""
    return bookings_permissions.can_see_usage_reports(user)


@register.filter
def may_reverse_expense(user: Any, expense: Any) -> bool:
    """`funds:expense_reverse`."""
    return funds_permissions.can_reverse_expense(user, expense)


@register.filter
def may_open_fund(user: Any, fund_id: int | None) -> bool:
    """`funds:detail`: the fund is among those the person sees."""
    if fund_id is None:
        return False
    return funds_selectors.fund_list_visible_to(user).filter(pk=fund_id).exists()
