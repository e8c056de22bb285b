from django.urls import path

from tandem.wellbeing import views

app_name = "wellbeing"
urlpatterns = [
    path("", views.home, name="home"),
    path("check-in/", views.checkin_new, name="checkin_new"),
    path("check-ins/<int:pk>/", views.checkin_detail, name="checkin_detail"),
    path("consent/", views.consent, name="consent"),
    path("institutions/<int:institution_pk>/", views.setup, name="setup"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/note/", views.alert_note, name="alert_note"),
    path("alerts/<int:pk>/close/", views.alert_close, name="alert_close"),
    path("alerts/<int:pk>/propose/", views.alert_propose, name="alert_propose"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("trainees/<int:trainee_pk>/", views.tutor_view, name="tutor_view"),
    path("statistics/", views.stats, name="stats"),
    path("statistics/export/", views.stats_export, name="stats_export"),
]
