from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "tandem.agreements"
    label = "agreements"
