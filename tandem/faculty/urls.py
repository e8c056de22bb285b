from django.urls import path

from tandem.faculty import views

app_name = "faculty"
urlpatterns = [
    path("", views.home, name="home"),
    path("bases/<int:pk>/", views.base_detail, name="base_detail"),
    path("bases/<int:pk>/workload.xlsx", views.workload_xlsx, name="workload_xlsx"),
    path("bases/<int:pk>/policy/", views.policy_set, name="policy_set"),
    path("bases/<int:pk>/profiles/", views.profile_add, name="profile_add"),
    path("bases/<int:pk>/responsible/", views.assignments, name="assignments"),
    path("bases/<int:pk>/responsible/assign/", views.assign, name="assign"),
    path("responsible/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile_detail"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:pk>/certificate/", views.certificate_upload, name="certificate_upload"),
    path(
        "profiles/<int:pk>/certificate/file/",
        views.certificate_download,
        name="certificate_download",
    ),
    path("profiles/<int:pk>/training/", views.training_add, name="training_add"),
    path("profiles/<int:pk>/plans/", views.plan_start, name="plan_start"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/goals/", views.goal_add, name="goal_add"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("goals/<int:pk>/", views.goal_edit, name="goal_edit"),
]
