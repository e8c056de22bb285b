from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "tandem.bookings"
    label = "bookings"
