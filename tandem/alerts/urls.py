from django.urls import path

from tandem.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.warning_list, name="list"),
    path("<int:pk>/", views.warning_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.warning_acknowledge, name="acknowledge"),
    path("<int:pk>/resolve/", views.warning_resolve, name="resolve"),
    path("overview/", views.overview, name="overview"),
    path("thresholds/<int:institution_pk>/", views.thresholds_edit, name="thresholds"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
