from django.apps import AppConfig


class ResidencyConfig(AppConfig):
    name = "tandem.residency"
    label = "residency"
