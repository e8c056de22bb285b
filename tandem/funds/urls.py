from django.urls import path

from tandem.funds import views, views_allocation

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("new/", views.fund_create, name="create"),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("<int:pk>/expenses/new/", views.expense_create, name="expense_create"),
    path(
        "<int:pk>/expenses/<int:expense_pk>/reverse/", views.expense_reverse, name="expense_reverse"
    ),
    path(
        "<int:pk>/expenses/<int:expense_pk>/receipt/", views.expense_receipt, name="expense_receipt"
    ),
    path("<int:pk>/allocations/new/", views_allocation.allocation_create, name="allocation_create"),
    path("allocations/", views_allocation.allocation_list, name="allocation_list"),
    path("allocations/<int:pk>/", views_allocation.allocation_detail, name="allocation_detail"),
    path(
        "allocations/<int:pk>/approve/",
        views_allocation.allocation_approve,
        name="allocation_approve",
    ),
    path("cultivations/<int:pk>/", views_allocation.cultivation_funds, name="cultivation_funds"),
    path(
        "cultivations/<int:pk>/applications/new/",
        views_allocation.application_create,
        name="application_create",
    ),
    path("applications/", views_allocation.application_list, name="application_list"),
    path("applications/<int:pk>/", views_allocation.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/submit/",
        views_allocation.application_submit,
        name="application_submit",
    ),
    path(
        "applications/<int:pk>/decide/",
        views_allocation.application_decide,
        name="application_decide",
    ),
]
