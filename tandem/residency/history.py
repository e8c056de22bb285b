"""How the change history reads the audit events of residency training: setup, schedules, leave and
swaps. Imported by name by the portal's history renderer (`tandem.portal.history`)."""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording
from tandem.institutions.models import Specialty
from tandem.residency.instancing import department_key, member_key
from tandem.residency.models import Cohort, CohortMember, Department, Program


def _pks(tokens: set[str], key: Callable[[int], str]) -> set[int]:
    """The pks among `tokens` that `key` (an id helper of `instancing`) writes them as."""
    found = set()
    for token in tokens:
        digits = token[1:]
        if digits.isdigit() and key(int(digits)) == token:
            found.add(int(digits))
    return found


def _instance_names(tokens: set[str]) -> dict[str, str]:
    """The residents and departments behind ids in the instance format: one query a kind."""
    names: dict[str, str] = {}
    if members := _pks(tokens, member_key):
        rows = CohortMember.objects.filter(pk__in=members).select_related("resident")
        names |= {member_key(member.pk): str(member) for member in rows}
    if departments := _pks(tokens, department_key):
        rows_d = Department.objects.filter(pk__in=departments)
        names |= {department_key(department.pk): str(department) for department in rows_d}
    return names


WORDING = HistoryWording(
    actions={
        "department.create": _("created the department"),
        "department.update": _("edited the department"),
        "department.capacity_set": _("changed the department's capacity per block"),
        "calendar.create": _("created the block calendar"),
        "program.create": _("created the program"),
        "program.update": _("edited the program"),
        "program.requirement_add": _("added a rotation requirement"),
        "program.requirement_update": _("changed a rotation requirement"),
        "program.requirement_remove": _("removed a rotation requirement"),
        "cohort.create": _("created the cohort"),
        "cohort.member_add": _("added a resident to the cohort"),
        "cohort.member_update": _("changed a resident's rotation plan"),
        "cohort.member_remove": _("removed a resident from the cohort"),
        "exchange_quota.set": _("set an exchange quota"),
        "exchange_quota.remove": _("removed an exchange quota"),
        "proposal.generate": _("started solving a schedule proposal"),
        "proposal.done": _("finished solving the schedule proposal"),
        "proposal.infeasible": _("found that no schedule can meet every rule"),
        "proposal.failed": _("could not finish solving the schedule proposal"),
        "proposal.stop": _("stopped the solve, keeping the best schedule found so far"),
        "proposal.interrupted": _("found the solve interrupted (its worker stopped)"),
        "proposal.pin": _("pinned a cell of the schedule proposal"),
        "proposal.approve": _("approved the schedule proposal for their hospital"),
        "proposal.publish": _("published the schedule proposal"),
        "schedule.publish": _("published the schedule"),
        "schedule.leave": _("entered approved leave in the schedule"),
        "schedule.swap": _("entered an approved swap in the schedule"),
        "leave.request": _("requested leave"),
        "leave.approved": _("approved the leave request"),
        "leave.refused": _("refused the leave request"),
        "swap.request": _("requested a swap"),
        "swap.approved": _("approved the swap request"),
        "swap.refused": _("refused the swap request"),
        "swap.accept": _("accepted the swap"),
        "swap.decline": _("declined the swap"),
    },
    keys={
        "after": _("After"),
        "before": _("Before"),
        "approved for": _("Approved for"),
        "best so far": _("Best schedule so far"),
        "block": _("Block"),
        "blocks": _("Number of blocks"),
        "forbidden_sequences": _("Sequences not allowed"),
        "max_consecutive": _("Most blocks in a row"),
        "member": _("Cohort member"),
        "min_stint": _("Shortest stint"),
        "precedences": _("Order of rotations"),
        "proposal": _("Schedule proposal"),
        "requirement": _("Rotation requirement"),
        "rotations": _("Rotations"),
        "with": _("Swap with"),
    },
    # A cohort's member changes are named "<resident> — <field>".
    fields_recorded_from={Cohort: (CohortMember,)},
    recorded_choices={(Program, "specialty"): Specialty},
    written_values={"swapped": _("swapped"), "leave": _("leave")},
    # Residents ("R12") and departments ("D7") named by their ids in the rotation instance
    # format, in the keys ("R12 / 3") or values of these events.
    id_actions=frozenset({"proposal.pin", "program.create", "program.update"}),
    id_names=_instance_names,
)
