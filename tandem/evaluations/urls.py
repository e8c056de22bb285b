from django.urls import path

from tandem.evaluations import views, views_manage, views_templates

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

# Running rounds and the target's own results (views_manage).
urlpatterns += [
    path("rounds/open/", views_manage.round_open, name="round_open"),
    path("rounds/<int:pk>/pairs/", views_manage.pair_list, name="manage_pairs"),
    path("pairs/<int:pk>/extend/", views_manage.pair_extend, name="pair_extend"),
    path("pairs/<int:pk>/reassign/", views_manage.pair_reassign, name="pair_reassign"),
    path("pairs/<int:pk>/withdraw/", views_manage.pair_withdraw, name="pair_withdraw"),
    path("rounds/<int:pk>/release/", views_manage.round_release, name="round_release"),
    path(
        "rounds/<int:pk>/results/<int:template_pk>/<slug:kind>/<int:target_pk>/comments/",
        views_manage.comment_hide,
        name="comment_hide",
    ),
    path("mine/", views_manage.my_results, name="my_results"),
    path(
        "mine/<int:pk>/<int:template_pk>/<slug:kind>/<int:target_pk>/",
        views_manage.my_result,
        name="my_result",
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
