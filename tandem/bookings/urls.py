from django.urls import path

from tandem.bookings import views, views_calendar

app_name = "bookings"
urlpatterns = [
    path("", views.booking_list, name="list"),
    path("export.xlsx", views.booking_export, name="export"),
    path("<int:pk>/", views.booking_detail, name="detail"),
    path("<int:pk>/approve/", views.booking_approve, name="approve"),
    path("<int:pk>/reject/", views.booking_reject, name="reject"),
    path("<int:pk>/cancel/", views.booking_cancel, name="cancel"),
    path("<int:pk>/mark/", views.booking_mark, name="mark"),
    path("resources/", views_calendar.resource_list, name="resources"),
    path("resources/<int:resource_pk>/", views_calendar.resource_calendar, name="calendar"),
    path("resources/<int:resource_pk>/book/", views.booking_create, name="create"),
    path("resources/<int:resource_pk>/rules/", views_calendar.rules_edit, name="rules"),
    path("reports/usage/", views_calendar.usage_report, name="report"),
    path("reports/usage.xlsx", views_calendar.usage_export, name="report_export"),
]
