from django.urls import path

from tandem.assessments import views, views_completion, views_plans

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/record/", views.record, name="record"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/signoff/", views.signoff, name="signoff"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/remediate/", views.remediate, name="remediate"),
    path("wba/new/", views.wba_new, name="wba_new"),
    path("wba/<int:pk>/", views.wba_detail, name="wba_detail"),
    path("wba/<int:pk>/confirm/", views.wba_confirm, name="wba_confirm"),
    path("wba/<int:pk>/code/", views.wba_code, name="wba_code"),
    path("codes/", views.code_issue, name="code_issue"),
    path("plans/", views_plans.plans, name="plans"),
    path("annual/", views_completion.annual, name="annual"),
    path("annual/<int:pk>/", views_completion.annual_detail, name="annual_detail"),
    path("completion/", views_completion.completion, name="completion"),
    path("completion/export/", views_completion.completion_export, name="completion_export"),
    path("completion/rules/", views_completion.completion_rules, name="completion_rules"),
    path("completion/<int:pk>/", views_completion.checklist, name="checklist"),
    path(
        "completion/<int:pk>/record/",
        views_completion.completion_record,
        name="completion_record",
    ),
]
