from django.urls import path

from tandem.evaluations import views, views_templates

app_name = "evaluations"
urlpatterns = [
    path("", views.todo, name="todo"),
    path("<int:pk>/", views.respond, name="respond"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/export.xlsx", views.round_export, name="round_export"),
    path(
        "rounds/<int:pk>/results/<int:template_pk>/<slug:kind>/<int:target_pk>/",
        views.target_results,
        name="results",
    ),
]

# The template builder (decision 087).
urlpatterns += [
    path("templates/", views_templates.template_list, name="template_list"),
    path("templates/new/", views_templates.template_create, name="template_create"),
    path("templates/<int:pk>/", views_templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/edit/", views_templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/copy/", views_templates.template_duplicate, name="template_duplicate"),
    path("templates/<int:pk>/retire/", views_templates.template_retire, name="template_retire"),
]
