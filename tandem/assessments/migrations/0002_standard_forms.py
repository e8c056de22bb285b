from django.db import migrations

from tandem.assessments.standard import STANDARD_FORMS


def create_forms(apps, schema_editor):
    WbaForm = apps.get_model("assessments", "WbaForm")
    for spec in STANDARD_FORMS:
        WbaForm.objects.update_or_create(kind=spec["kind"], program=None, defaults=spec)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(create_forms, migrations.RunPython.noop)]
