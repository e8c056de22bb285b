from django.urls import path

from tandem.quality import views, views_self

app_name = "quality"
urlpatterns = [
    path("", views.home, name="home"),
    path("bases/<int:pk>/", views.base_detail, name="base_detail"),
    path("bases/<int:pk>/compliance/", views.compliance_page, name="compliance"),
    path("bases/<int:pk>/standards/", views.standard_add, name="standard_add"),
    path("standards/<int:pk>/retire/", views.standard_retire, name="standard_retire"),
    path("bases/<int:pk>/supervisors/", views.supervisor_add, name="supervisor_add"),
    path("activities/<int:pk>/observe/", views.observation_start, name="observation_start"),
    path("observations/<int:pk>/", views.observation_detail, name="observation_detail"),
    path("observations/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/respond/", views.item_respond, name="item_respond"),
    path("items/<int:pk>/decide/", views.item_decide, name="item_decide"),
    path("bases/<int:pk>/self-assessments/", views_self.assessment_new, name="assessment_new"),
    path("self-assessments/<int:pk>/", views_self.assessment_detail, name="assessment_detail"),
    path("self-assessments/<int:pk>/evidence/", views_self.evidence_add, name="evidence_add"),
    path(
        "self-assessments/<int:pk>/submit/", views_self.assessment_submit, name="assessment_submit"
    ),
    path(
        "self-assessments/<int:pk>/export.xlsx", views_self.assessment_xlsx, name="assessment_xlsx"
    ),
    path("evidence/<int:pk>/", views_self.evidence_download, name="evidence_download"),
]
