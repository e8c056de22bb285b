from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "tandem.evaluations"
    label = "evaluations"
