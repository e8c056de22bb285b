from django.urls import path

from tandem.evaluations import views

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
