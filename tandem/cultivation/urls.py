from django.urls import path

from tandem.cultivation import views, views_termination, views_training, views_tutor

app_name = "cultivation"
urlpatterns = [
    path("", views.cultivation_list, name="list"),
    path("new/", views.cultivation_propose, name="propose"),
    path("<int:pk>/", views.cultivation_detail, name="detail"),
    path("<int:pk>/approve/", views.cultivation_approve, name="approve"),
    path("<int:pk>/decide/<slug:action>/", views.cultivation_decide, name="decide"),
    path("<int:pk>/endings/<int:ending_pk>/", views.ending_answer, name="ending_answer"),
    path(
        "<int:pk>/endings/<int:ending_pk>/termination/",
        views_termination.termination_preview_page,
        name="termination_preview",
    ),
    path("<int:pk>/tutors/assign/", views_tutor.tutor_assign, name="tutor_assign"),
    path("<int:pk>/tutors/change/", views_tutor.change_request, name="change_request"),
    path(
        "<int:pk>/tutors/change/<int:request_pk>/approve/",
        views_tutor.change_approve,
        name="change_approve",
    ),
    path(
        "<int:pk>/tutors/change/<int:request_pk>/reject/",
        views_tutor.change_reject,
        name="change_reject",
    ),
    path("<int:pk>/responsibilities/", views_tutor.responsibilities, name="responsibilities"),
    path(
        "<int:pk>/responsibilities/sign/",
        views_tutor.responsibilities_sign,
        name="responsibilities_sign",
    ),
    path(
        "agreements/<int:agreement_pk>/responsibilities/",
        views_tutor.responsibility_template,
        name="template",
    ),
    path("tutors/<int:user_pk>/trainings/", views_tutor.trainings, name="trainings"),
    path("tutors/<int:user_pk>/trainings/new/", views_tutor.training_add, name="training_add"),
    path(
        "institutions/<int:pk>/tutor-training/",
        views_training.training_requirement,
        name="training_requirement",
    ),
    path(
        "institutions/<int:pk>/tutor-training/edit/",
        views_training.training_requirement_edit,
        name="training_requirement_edit",
    ),
    path("<int:pk>/insurance/", views_training.insurance, name="insurance"),
    path("<int:pk>/insurance/new/", views_training.insurance_add, name="insurance_add"),
    path("tutors/<int:user_pk>/load/", views_tutor.tutor_load, name="tutor_load"),
    path(
        "trainings/<int:pk>/certificate/",
        views_tutor.training_certificate,
        name="training_certificate",
    ),
]
