from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "tandem.resources"
    label = "resources"
