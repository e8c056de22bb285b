from django.urls import path

from tandem.institutions import views, views_calendar

app_name = "institutions"
urlpatterns = [
    path("", views.institution_list, name="list"),
    path("new/", views.institution_create, name="create"),
    path("<int:pk>/", views.institution_detail, name="detail"),
    path("<int:pk>/edit/", views.institution_edit, name="edit"),
    path("<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:pk>/calendar/", views_calendar.calendar, name="calendar"),
    path(
        "<int:pk>/calendar/<int:day_pk>/remove/",
        views_calendar.calendar_remove,
        name="calendar_remove",
    ),
]
