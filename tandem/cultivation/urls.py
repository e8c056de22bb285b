from django.urls import path

from tandem.cultivation import tutor_views, views

app_name = "cultivation"
urlpatterns = [
    path("", views.cultivation_list, name="list"),
    path("new/", views.cultivation_propose, name="propose"),
    path("workspace/", tutor_views.workspace, name="workspace"),
    path("<int:pk>/", views.cultivation_detail, name="detail"),
    path("<int:pk>/approve/", views.cultivation_approve, name="approve"),
    path("<int:pk>/decide/<slug:action>/", views.cultivation_decide, name="decide"),
    path("<int:pk>/tutors/assign/", tutor_views.tutor_assign, name="tutor_assign"),
    path("<int:pk>/tutors/change/", tutor_views.change_request, name="change_request"),
    path(
        "<int:pk>/tutors/change/<int:request_pk>/approve/",
        tutor_views.change_approve,
        name="change_approve",
    ),
    path(
        "<int:pk>/tutors/change/<int:request_pk>/reject/",
        tutor_views.change_reject,
        name="change_reject",
    ),
    path("<int:pk>/responsibilities/", tutor_views.responsibilities, name="responsibilities"),
    path(
        "<int:pk>/responsibilities/sign/",
        tutor_views.responsibilities_sign,
        name="responsibilities_sign",
    ),
    path(
        "agreements/<int:agreement_pk>/responsibilities/",
        tutor_views.responsibility_template,
        name="template",
    ),
    path("tutors/<int:user_pk>/trainings/", tutor_views.trainings, name="trainings"),
    path("tutors/<int:user_pk>/trainings/new/", tutor_views.training_add, name="training_add"),
    path("tutors/<int:user_pk>/load/", tutor_views.tutor_load, name="tutor_load"),
    path(
        "trainings/<int:pk>/certificate/",
        tutor_views.training_certificate,
        name="training_certificate",
    ),
]
