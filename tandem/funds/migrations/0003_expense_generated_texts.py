import re

from django.db import migrations, models

# The ledger entries the system used to word in the language of whoever acted, in English or
# in Chinese, and the codes they now keep (see core.audit_labels.GENERATED_TEXTS).
CHARGE = [
    re.compile(
        r"^Booking #(?P<pk>\d+): (?P<resource>.*), (?P<day>\d{4}-\d{2}-\d{2}) "
        r"(?P<start>\d{2}:\d{2})–(?P<end>\d{2}:\d{2})$"
    ),
    re.compile(
        r"^预约 #(?P<pk>\d+)：(?P<resource>.*)，(?P<day>\d{4}-\d{2}-\d{2}) "
        r"(?P<start>\d{2}:\d{2})–(?P<end>\d{2}:\d{2})$"
    ),
]
REASONS = [
    (re.compile(r"^Booking #(\d+) cancelled\.$"), "booking.cancelled"),
    (re.compile(r"^预约 #(\d+) 已取消。$"), "booking.cancelled"),
    (
        re.compile(r"^No-show on booking #(\d+): not charged by the owner's rules\.$"),
        "booking.no_show_free",
    ),
    (re.compile(r"^预约 #(\d+) 未到场：按所属机构规则不收费。$"), "booking.no_show_free"),
]


def _charge(description: str) -> dict | None:
    for pattern in CHARGE:
        if match := pattern.match(description):
            params = match.groupdict()
            params["pk"] = int(params["pk"])
            return {"code": "booking.charge", "params": params}
    return None


def _reason(reason: str) -> dict | None:
    for pattern, code in REASONS:
        if match := pattern.match(reason):
            return {"code": code, "params": {"pk": int(match[1])}}
    return None


def texts_to_codes(apps, schema_editor):
    Expense = apps.get_model("funds", "Expense")
    for expense in Expense.objects.select_related("reverses").iterator():
        generated = {}
        if expense.reverses_id is None:
            if charge := _charge(expense.description):
                generated["description"] = charge
        else:
            original = expense.reverses
            generated["description"] = {
                "code": "expense.reversal",
                "params": {"description": _charge(original.description) or original.description},
            }
            if reason := _reason(expense.reason):
                generated["reason"] = reason
        if generated:
            Expense.objects.filter(pk=expense.pk).update(generated=generated)


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0002_jointfundapplication_expense_reason_expense_reverses_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="expense",
            name="generated",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(texts_to_codes, migrations.RunPython.noop),
    ]
