import re

from django.db import migrations, models

# The reasons the services used to store already worded, in English or in Chinese, and the
# code each now records (see audit_labels.GENERATED_TEXTS). Other reasons were written by a
# person and stay as they are.
FIXED = {
    "The agreement was amended.": "agreement.amended",
    "协议已修订。": "agreement.amended",
    "The term ended.": "agreement.term_ended",
    "协议期限已满。": "agreement.term_ended",
}
WITH_BOOKING = [
    (re.compile(r"^Booking #(\d+) cancelled\.$"), "booking.cancelled"),
    (re.compile(r"^预约 #(\d+) 已取消。$"), "booking.cancelled"),
    (
        re.compile(r"^No-show on booking #(\d+): not charged by the owner's rules\.$"),
        "booking.no_show_free",
    ),
    (re.compile(r"^预约 #(\d+) 未到场：按所属机构规则不收费。$"), "booking.no_show_free"),
]


def code_for(reason: str) -> tuple[str, dict]:
    if reason in FIXED:
        return FIXED[reason], {}
    for pattern, code in WITH_BOOKING:
        if match := pattern.match(reason):
            return code, {"pk": int(match[1])}
    return "", {}


def reasons_to_codes(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    candidates = AuditEvent.objects.filter(
        models.Q(reason__in=list(FIXED)) | models.Q(reason__contains="#")
    ).only("pk", "reason")
    for event in candidates.iterator():
        code, params = code_for(event.reason)
        if code:
            AuditEvent.objects.filter(pk=event.pk).update(
                reason="", reason_code=code, reason_params=params
            )


ENGLISH = {
    "agreement.amended": "The agreement was amended.",
    "agreement.term_ended": "The term ended.",
    "booking.cancelled": "Booking #%(pk)s cancelled.",
    "booking.no_show_free": "No-show on booking #%(pk)s: not charged by the owner's rules.",
}


def codes_to_reasons(apps, schema_editor):
    """Back to worded reasons (in English) before the code columns go."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    for event in AuditEvent.objects.exclude(reason_code="").only("pk", "reason_code").iterator():
        text = ENGLISH.get(event.reason_code)
        if text is not None:
            try:
                text = text % event.reason_params
            except (KeyError, TypeError):
                pass
            AuditEvent.objects.filter(pk=event.pk).update(reason=text)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="reason_code",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="reason_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(reasons_to_codes, codes_to_reasons),
    ]
