from django.urls import path

from tandem.conduct import views, views_rules

app_name = "conduct"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("counts/", views.counts, name="counts"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/respond/", views.case_respond, name="case_respond"),
    path("<int:pk>/evidence/", views.case_evidence, name="case_evidence"),
    path("<int:pk>/hearing/", views.case_hearing, name="case_hearing"),
    path("<int:pk>/comment/", views.case_comment, name="case_comment"),
    path("<int:pk>/vote/", views.case_vote, name="case_vote"),
    path("<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("<int:pk>/appeal/", views.case_appeal, name="case_appeal"),
    path("<int:pk>/appeal/decide/", views.appeal_decide, name="appeal_decide"),
    path("<int:pk>/lift/", views.case_lift, name="case_lift"),
    path("<int:pk>/home-outcome/", views.case_home_outcome, name="case_home_outcome"),
    path("<int:pk>/letter.pdf", views.case_letter, name="case_letter"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path("regulations/", views_rules.regulation_list, name="regulation_list"),
    path("regulations/<int:pk>/", views_rules.regulation_detail, name="regulation_detail"),
    path("committees/<int:pk>/", views_rules.committee_detail, name="committee_detail"),
]
