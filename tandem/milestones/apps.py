from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "tandem.milestones"
    label = "milestones"
