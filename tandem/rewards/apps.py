from django.apps import AppConfig


class RewardsConfig(AppConfig):
    name = "tandem.rewards"
    label = "rewards"
