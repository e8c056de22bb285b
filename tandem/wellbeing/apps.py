from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    name = "tandem.wellbeing"
    label = "wellbeing"
