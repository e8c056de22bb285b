"""How the change history reads the audit events of work hours. Imported by name by the
portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "workhours_shift.log": _("logged a shift"),
        "workhours_shift.delete": _("deleted a shift"),
        "workhours_ruleset.save": _("saved a work-hour rule set"),
        "workhours_pattern.set": _("set a rota pattern"),
    },
    keys={
        "start": _("Start"),
        "end": _("End"),
        "kind": _("Kind"),
        "source": _("Source"),
        "note": _("Note"),
        "department": _("Department"),
        "regulator": _("Rule set"),
        "time_zone": _("Time zone"),
        "max_weekly_hours": _("Hours a week at most"),
        "averaging_weeks": _("Averaged over (weeks)"),
        "free_days_per_week": _("Free days a week at least"),
        "max_continuous_hours": _("Continuous duty at most"),
        "handover_hours": _("Handover hours"),
        "min_rest_hours": _("Rest between shifts at least"),
        "long_duty_hours": _("A long shift lasts at least"),
        "rest_after_long_hours": _("Rest after a long shift at least"),
        "weekdays": _("Weekdays worked"),
        "day_start": _("Day shift starts"),
        "day_end": _("Day shift ends"),
        "call_every": _("A call every (days)"),
        "call_hours": _("Call length (hours)"),
    },
)
