"""How the change history reads the audit events of people, their roles, profiles and API tokens.
Imported by name by the portal's history renderer (`tandem.portal.history`)."""

from django.utils.translation import gettext_lazy as _

from tandem.core.audit_labels import HistoryWording


def _student_number_label(key: str) -> str | None:
    # A trainee's student number at one institution: "student_number@<institution id>".
    return str(_("Student number")) if key.startswith("student_number@") else None


WORDING = HistoryWording(
    actions={
        "api_token.create": _("created an API token"),
        "api_token.revoke": _("revoked an API token"),
        "user.settings": _("changed their settings"),
        "membership.add": _("gave this role"),
        "membership.end": _("ended this role"),
        "person.invite": _("invited this person"),
        "trainee_profile.save": _("updated the trainee profile"),
        "tutor_profile.save": _("updated the tutor profile"),
        "people.import": _("imported people from a file"),
        # the one calendar feed (decision 079); "revoke" is the code of the older feeds
        "calendar_feed.create": _("created a calendar feed"),
        "calendar_feed.rotate": _("replaced the calendar feed address"),
        "calendar_feed.revoke": _("replaced the calendar feed address"),
        "calendar_feed.scopes": _("changed what the calendar feed shows"),
        "calendar_feed.stop": _("revoked the calendar feed address"),
    },
    keys={
        "invited": _("People invited"),
        "roles_added": _("Roles added"),
    },
    key_label=_student_number_label,
)
