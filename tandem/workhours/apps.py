from django.apps import AppConfig


class WorkhoursConfig(AppConfig):
    name = "tandem.workhours"
    label = "workhours"
