"""The built-in kinds of teaching activity, offered at every base (a base adds its own)."""

from django.db import migrations

BUILT_IN = [
    ("orientation", "Orientation on entering the department", "入科教育"),
    ("teaching_rounds", "Teaching rounds", "教学查房"),
    ("small_lecture", "Small lecture", "小讲课"),
    ("case_discussion", "Case discussion", "病例讨论"),
    ("difficult_case", "Difficult case discussion", "疑难病例讨论"),
    ("skills_training", "Skills training", "技能培训"),
    ("procedure_demo", "Procedure demonstration", "操作示范"),
    ("journal_club", "Journal club", "文献研读会"),
]


def add_kinds(apps, schema_editor):
    ActivityKind = apps.get_model("teaching", "ActivityKind")
    for position, (code, name, name_zh) in enumerate(BUILT_IN, start=1):
        ActivityKind.objects.update_or_create(
            base=None, code=code, defaults={"name": name, "name_zh": name_zh, "position": position}
        )


def remove_kinds(apps, schema_editor):
    apps.get_model("teaching", "ActivityKind").objects.filter(
        base=None, code__in=[code for code, _n, _z in BUILT_IN]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("teaching", "0001_initial")]

    operations = [migrations.RunPython(add_kinds, remove_kinds)]
