"""Residency rotation scheduling: departments of training bases, block calendars, programs,
cohorts (`setup.py`), and the schedule proposals made by the solver, published schedules and
changes to them (`schedules.py`). Every model is importable from here."""

from tandem.residency.models.schedules import (
    Assignment,
    LeaveRequest,
    PartnerApproval,
    ProposalStatus,
    PublishedSchedule,
    RequestStatus,
    ScheduleProposal,
    SwapConsent,
    SwapRequest,
    new_feed_key,
)
from tandem.residency.models.setup import (
    Block,
    BlockCalendar,
    CalendarKind,
    CapacityOverride,
    Cohort,
    CohortMember,
    Department,
    ExchangeQuota,
    Program,
    Requirement,
)

__all__ = [
    "Assignment",
    "Block",
    "BlockCalendar",
    "CalendarKind",
    "CapacityOverride",
    "Cohort",
    "CohortMember",
    "Department",
    "ExchangeQuota",
    "LeaveRequest",
    "PartnerApproval",
    "Program",
    "ProposalStatus",
    "PublishedSchedule",
    "RequestStatus",
    "Requirement",
    "ScheduleProposal",
    "SwapConsent",
    "SwapRequest",
    "new_feed_key",
]
