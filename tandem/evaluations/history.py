"""How the change history reads the audit events of evaluations. Imported by name by the
portal's history renderer (`tandem.portal.history`). No event names an anonymous answer's
response or author (decision 082)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "evaluations.template_create": _("created the evaluation template"),
        "evaluations.template_edit": _("edited the evaluation template"),
        "evaluations.round_open": _("opened the evaluation round"),
        "evaluations.round_release": _("released the results of the evaluation round"),
        "evaluations.comment_hide": _("hid a comment from the results"),
        "evaluations.pair_extend": _("extended the due date of an evaluation"),
        "evaluations.pair_reassign": _("gave an evaluation to another evaluator"),
        "evaluations.pair_withdraw": _("withdrew an evaluation"),
        "evaluations.submit": _("submitted an evaluation"),
        "evaluations.template_duplicate": _("copied an evaluation template"),
        "evaluations.template_retire": _("retired the evaluation template"),
        "evaluations.template_restore": _("offered the evaluation template again"),
    },
    keys={
        "items": _("Items"),
        "pairs": _("Evaluations to do"),
        "evaluators": _("Assigned evaluators"),
        "released": _("Released"),
        "comment": _("Comment"),
        "copied_from": _("Copied from"),
        "retired": _("Retired"),
    },
)
