from django.urls import path

from tandem.funds import allocation_views, views

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("new/", views.fund_create, name="create"),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("<int:pk>/expenses/new/", views.expense_create, name="expense_create"),
    path("<int:pk>/expenses/<int:expense_pk>/reverse/", views.expense_reverse,
         name="expense_reverse"),
    path("<int:pk>/expenses/<int:expense_pk>/receipt/", views.expense_receipt,
         name="expense_receipt"),
    path("<int:pk>/allocations/new/", allocation_views.allocation_create,
         name="allocation_create"),
    path("allocations/", allocation_views.allocation_list, name="allocation_list"),
    path("allocations/<int:pk>/", allocation_views.allocation_detail, name="allocation_detail"),
    path("allocations/<int:pk>/approve/", allocation_views.allocation_approve,
         name="allocation_approve"),
    path("cultivations/<int:pk>/", allocation_views.cultivation_funds, name="cultivation_funds"),
    path("cultivations/<int:pk>/applications/new/", allocation_views.application_create,
         name="application_create"),
    path("applications/", allocation_views.application_list, name="application_list"),
    path("applications/<int:pk>/", allocation_views.application_detail,
         name="application_detail"),
    path("applications/<int:pk>/submit/", allocation_views.application_submit,
         name="application_submit"),
    path("applications/<int:pk>/decide/", allocation_views.application_decide,
         name="application_decide"),
]
