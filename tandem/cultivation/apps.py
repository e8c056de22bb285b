from django.apps import AppConfig


class CultivationConfig(AppConfig):
    name = "tandem.cultivation"
    label = "cultivation"
