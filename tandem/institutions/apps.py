from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "tandem.institutions"
    label = "institutions"
