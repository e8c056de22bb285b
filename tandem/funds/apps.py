from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "tandem.funds"
    label = "funds"
