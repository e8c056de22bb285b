from django.apps import AppConfig


class FacultyConfig(AppConfig):
    name = "tandem.faculty"
    label = "faculty"
