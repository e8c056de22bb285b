from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "tandem.publications"
    label = "publications"
