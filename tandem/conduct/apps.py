from django.apps import AppConfig


class ConductConfig(AppConfig):
    name = "tandem.conduct"
    label = "conduct"
