from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("warning", "Early warning"),
                    ("action_assigned", "Action item assigned"),
                    ("report_commented", "Report commented"),
                    ("series_changed", "Debriefing series changed"),
                    ("series_ended", "Debriefing series ended"),
                    ("participant_removed", "No longer invited to a debriefing series"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
