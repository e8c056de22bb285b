"""Early warnings of the demo consortium: EMU's and WMU's thresholds, e-mail preferences, and
one evaluation run. On the debriefing demo it raises an overdue action item and the silence
between Prof. Li and Prof. Chen, plus whatever the plans and funds demos leave due; and, since
WMU asks for a report every three weeks and Zhang's last one is four weeks old (the last
debriefing had none), a "no progress report" warning about Zhang."""

from django.db import transaction

from tandem.accounts.models import User
from tandem.alerts import services
from tandem.alerts.evaluation import evaluate
from tandem.alerts.models import EmailMode, WarningThresholds
from tandem.institutions.models import Institution

# institution code (its coordinator sets them), thresholds
THRESHOLDS = [
    ("emu", {"no_report_weeks": 3, "milestone_days": 21}),
    ("wmu", {"no_report_weeks": 3}),
]


@transaction.atomic
def load_demo() -> None:
    changed = False
    for code, values in THRESHOLDS:
        institution = Institution.objects.filter(code=code).first()
        coordinator = User.objects.filter(username=f"coord.{code}").first()
        if institution is None or coordinator is None:
            continue
        if WarningThresholds.objects.filter(institution=institution).exists():
            continue  # set before (by the demo or by its coordinator)
        services.thresholds_update(actor=coordinator, institution=institution, **values)
        changed = True
        if code == "emu":
            for username, mode in (
                ("coord.wmu", EmailMode.IMMEDIATE),
                ("tutor.li", EmailMode.DIGEST),
                ("tutor.chen", EmailMode.DIGEST),
            ):
                user = User.objects.filter(username=username).first()
                if user is not None:
                    services.preference_update(actor=user, email_mode=mode)
    if changed:
        evaluate()
