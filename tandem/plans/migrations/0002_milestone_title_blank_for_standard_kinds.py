from django.db import migrations, models

# A standard milestone used to store its kind's label, in the language of whoever added it;
# it now stores no wording and reads as its kind in the reader's language.
KIND_LABELS = {
    "proposal": ("Research proposal", "开题报告"),
    "mid_term": ("Mid-term review", "中期考核"),
    "thesis_submission": ("Thesis submission", "论文提交"),
    "defence": ("Defence", "论文答辩"),
    "other": ("Other", "其他"),
}


def labels_to_blank(apps, schema_editor):
    PlanMilestone = apps.get_model("plans", "PlanMilestone")
    for kind, labels in KIND_LABELS.items():
        PlanMilestone.objects.filter(kind=kind, custom_title__in=labels).update(custom_title="")


def blank_to_labels(apps, schema_editor):
    PlanMilestone = apps.get_model("plans", "PlanMilestone")
    for kind, (english, _chinese) in KIND_LABELS.items():
        PlanMilestone.objects.filter(kind=kind, custom_title="").update(custom_title=english)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
    ]

    operations = [
        # The column keeps its name: only the field is renamed (the model's `title` is now
        # the wording shown, a property).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("planmilestone", "title", "custom_title"),
                migrations.AlterField(
                    model_name="planmilestone",
                    name="custom_title",
                    field=models.CharField(
                        blank=True, db_column="title", max_length=200, verbose_name="title"
                    ),
                ),
            ],
        ),
        migrations.RunPython(labels_to_blank, blank_to_labels),
    ]
