from django.apps import AppConfig


class LogbookConfig(AppConfig):
    name = "tandem.logbook"
    label = "logbook"
