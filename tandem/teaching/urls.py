from django.urls import path

from tandem.teaching import views, views_bases

app_name = "teaching"
urlpatterns = [
    path("", views.home, name="home"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("activities/<int:pk>/code/", views.activity_code, name="activity_code"),
    path("activities/<int:pk>/sign-in/", views.sign_in, name="sign_in"),
    path("activities/<int:pk>/attendance/", views.attendance_correct, name="attendance_correct"),
    path("bases/<int:pk>/", views_bases.base_detail, name="base_detail"),
    path("bases/<int:pk>/kinds/", views_bases.kind_add, name="kind_add"),
    path("bases/<int:pk>/attendance.xlsx", views_bases.attendance_xlsx, name="attendance_xlsx"),
]
