from django.urls import path

from tandem.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_raise, name="raise"),
    path("export.csv", views.item_export, name="export"),
    path("statistics/", views.item_stats, name="stats"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.item_acknowledge, name="acknowledge"),
    path("<int:pk>/start/", views.item_start, name="start"),
    path("<int:pk>/resolve/", views.item_resolve, name="resolve"),
    path("<int:pk>/confirm/", views.item_confirm, name="confirm"),
    path("<int:pk>/reopen/", views.item_reopen, name="reopen"),
    path("routing/<int:agreement_pk>/", views.routing, name="routing"),
    path("seminars/", views.seminar_list, name="seminar_list"),
    path("seminars/new/", views.seminar_create, name="seminar_create"),
    path("seminars/<int:pk>/", views.seminar_detail, name="seminar_detail"),
    path("seminars/<int:pk>/attendance/", views.seminar_attendance, name="seminar_attendance"),
    path("seminars/<int:pk>/minutes/", views.seminar_minutes, name="seminar_minutes"),
    path("seminars/<int:pk>/raise/", views.seminar_raise, name="seminar_raise"),
]
