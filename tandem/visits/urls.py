from django.urls import path

from tandem.visits import views, views_actions, views_changes

app_name = "visits"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.visit_new, name="visit_new"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/status/", views.visit_status, name="visit_status"),
    path("<int:pk>/notes/", views.visit_notes, name="visit_notes"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/edit/", views_changes.visit_edit, name="visit_edit"),
    path("<int:pk>/delegates/", views.delegate_add, name="delegate_add"),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/remove/",
        views_changes.delegate_remove,
        name="delegate_remove",
    ),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("<int:pk>/invite/", views.visit_invite, name="visit_invite"),
    path("<int:pk>/practices/", views.practice_add, name="practice_add"),
    path("<int:pk>/report.pdf", views_actions.report_pdf, name="report_pdf"),
    path("<int:pk>/actions/", views_actions.action_add, name="action_add"),
    path("<int:pk>/actions.xlsx", views_actions.actions_xlsx, name="actions_xlsx"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/remove/", views_changes.session_remove, name="session_remove"),
    path("actions/<int:pk>/", views_actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/step/", views_actions.action_step, name="action_step"),
    path("practices/", views.practice_list, name="practice_list"),
]
