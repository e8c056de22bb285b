from django.urls import path

from tandem.plans import views, views_milestones, views_record

app_name = "plans"

C = "<int:cultivation_pk>/"
M = C + "milestones/<int:milestone_pk>/"

urlpatterns = [
    path("", views.plan_home, name="home"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("import/", views_record.record_import, name="record_import"),
    path(C, views.plan_detail, name="plan"),
    path(C + "start/", views.plan_start, name="start"),
    path(C + "draft/", views.draft_edit, name="draft_edit"),
    path(C + "draft/courses/new/", views.course_add, name="course_add"),
    path(C + "draft/courses/<int:course_pk>/remove/", views.course_remove, name="course_remove"),
    path(C + "draft/milestones/new/", views.milestone_add, name="milestone_add"),
    path(
        C + "draft/milestones/<int:milestone_pk>/window/",
        views.milestone_window,
        name="milestone_window",
    ),
    path(C + "sign/", views.plan_sign, name="sign"),
    path(C + "revise/", views.plan_revise, name="revise"),
    path(C + "versions/<int:number>/", views.version_detail, name="version"),
    path(M, views_milestones.milestone_detail, name="milestone"),
    path(M + "submit/", views_milestones.milestone_submit, name="milestone_submit"),
    path(M + "review/", views_milestones.milestone_review, name="milestone_review"),
    path(
        M + "evidence/<int:evidence_pk>/",
        views_milestones.evidence_download,
        name="evidence_download",
    ),
    path(C + "record/", views_record.record_page, name="record"),
    path(C + "record.json", views_record.record_json, name="record_json"),
    path(C + "record.pdf", views_record.record_pdf, name="record_pdf"),
]
