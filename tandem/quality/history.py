"""How the change history reads the audit events of the quality app. Imported by name by the
portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording

WORDING = HistoryWording(
    actions={
        "quality_standard.add": _("set a standard of the base"),
        "quality_standard.retire": _("removed a standard of the base"),
        "quality_supervisor.designate": _("designated a supervisor of the base"),
        "quality_supervision_form.create": _("created the built-in supervision form"),
        "quality_observation.start": _("observed a teaching activity"),
        "quality_rectification.add": _("recorded a finding to rectify"),
        "quality_rectification.respond": _("reported the action taken on a finding"),
        "quality_rectification.accept": _("accepted the rectification of a finding"),
        "quality_rectification.return": _("returned a rectification to its owner"),
        "quality_self_assessment.create": _("started a self-assessment of the base"),
        "quality_self_assessment.save": _("saved scores of a self-assessment"),
        "quality_self_assessment.submit": _("submitted a self-assessment of the base"),
        "quality_evidence.add": _("added an evidence file to a self-assessment"),
    },
    keys={
        "base": _("Training base"),
        "standard": _("Standard"),
        "active": _("Active"),
        "supervisor": _("Supervisor"),
        "activity": _("Teaching activity"),
        "teacher": _("Teacher"),
        "owner": _("Owner"),
        "deadline": _("Deadline"),
        "status": _("Status"),
        "title": _("Title"),
        "scores": _("Scores changed"),
        "evidence": _("Evidence"),
        "indicator": _("Indicator"),
    },
)
