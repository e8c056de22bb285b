from django.urls import path

from tandem.workhours import views, views_rules

app_name = "workhours"
urlpatterns = [
    path("", views.home, name="home"),
    path("shifts/new/", views.shift_new, name="shift_new"),
    path("shifts/<int:pk>/delete/", views.shift_delete, name="shift_delete"),
    path("rota/confirm/", views.rota_confirm, name="rota_confirm"),
    path("residents/<int:pk>/", views.resident, name="resident"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("cohorts/<int:pk>/violations.xlsx", views.cohort_export, name="cohort_export"),
    path("rules/", views_rules.ruleset_list, name="ruleset_list"),
    path("rules/<int:pk>/", views_rules.ruleset_edit, name="ruleset_edit"),
    path("patterns/", views_rules.pattern_set, name="pattern_set"),
    path("proposals/<int:pk>/check/", views_rules.proposal_check, name="proposal_check"),
]
