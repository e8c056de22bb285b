"""Early warnings of the demo consortium: EMU's thresholds, e-mail preferences, and one
evaluation run (on the debriefing demo it raises an overdue action item and the silence
between Prof. Li and Prof. Chen, plus whatever the plans and funds demos leave due)."""

from django.db import transaction

from tandem.accounts.models import User
from tandem.alerts import services
from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EmailMode, WarningThresholds
from tandem.institutions.models import Institution


@transaction.atomic
def load_demo() -> None:
    emu = Institution.objects.filter(code="emu").first()
    coordinator = User.objects.filter(username="coord.emu").first()
    if emu is None or coordinator is None:
        return
    if WarningThresholds.objects.filter(institution=emu).exists():
        return  # loaded before
    services.thresholds_update(
        actor=coordinator, institution=emu, no_report_weeks=3, milestone_days=21
    )
    for username, mode in (
        ("coord.wmu", EmailMode.IMMEDIATE),
        ("tutor.li", EmailMode.DIGEST),
        ("tutor.chen", EmailMode.DIGEST),
    ):
        user = User.objects.filter(username=username).first()
        if user is not None:
            services.preference_update(actor=user, email_mode=mode)
    evaluate()
