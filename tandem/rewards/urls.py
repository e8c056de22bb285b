from django.urls import path

from tandem.rewards import views

app_name = "rewards"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_new, name="round_new"),
    path("<int:pk>/", views.round_detail, name="round_detail"),
    path("<int:pk>/members/", views.round_member_add, name="round_member_add"),
    path("<int:pk>/members/remove/", views.round_member_remove, name="round_member_remove"),
    path("<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("<int:pk>/cancel/", views.round_cancel, name="round_cancel"),
    path("<int:pk>/nominate/", views.nomination_new, name="nomination_new"),
    path("<int:pk>/announce/", views.round_announce, name="round_announce"),
    path("<int:pk>/announcement/", views.announcement, name="announcement"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/evidence/", views.nomination_evidence, name="nomination_evidence"),
    path(
        "nominations/<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence_file,
        name="evidence_file",
    ),
    path("nominations/<int:pk>/vote/", views.nomination_vote, name="nomination_vote"),
    path("nominations/<int:pk>/object/", views.objection_lodge, name="objection_lodge"),
    path("nominations/<int:pk>/finalise/", views.award_finalise, name="award_finalise"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
]
