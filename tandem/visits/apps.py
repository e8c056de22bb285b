from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "tandem.visits"
    label = "visits"
