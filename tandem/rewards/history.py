"""How the change history reads the audit events of rewards. Imported by name by the portal's
history renderer (`tandem.portal.history`).

The events carry no statement, comment or objection text; an objection's events are recorded
on the objection, so that a nomination's history never names an objector (decision 104)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording
from tandem.rewards.models import Evidence, Nomination, ReferenceKind

WORDING = HistoryWording(
    actions={
        "reward_round.create": _("opened a reward round"),
        "reward_round.member_add": _("added a member to the reward committee"),
        "reward_round.member_remove": _("removed a member from the reward committee"),
        "reward_round.update": _("changed the reward round"),
        "reward_round.cancel": _("cancelled the reward round"),
        "reward_nomination.close": _("closed the nomination: the round was cancelled"),
        "reward_round.announce": _("announced the result of the reward round"),
        "reward_nomination.create": _("made a nomination"),
        "reward_nomination.evidence": _("added evidence to a nomination"),
        "reward_nomination.vote": _("voted on a nomination"),
        "reward_nomination.decide": _("decided a nomination by the committee's votes"),
        "reward_nomination.withdraw": _("withdrew the award after an objection"),
        "reward_nomination.final": _("the award became final"),
        "reward_objection.lodge": _("lodged an objection to an award"),
        "reward_objection.answer": _("answered an objection in writing"),
    },
    keys={
        "member": _("Committee member"),
        "reason": _("Reason"),
        "closed": _("Nominations closed"),
        "awarded": _("Awards"),
        "reference_kind": _("Evidence"),
    },
    fields_recorded_from={Nomination: (Evidence,)},
    recorded_choices={(Nomination, "reference_kind"): ReferenceKind},
    written_values={"file": _("a file")},
)
