from django.urls import path

from tandem.residency import (
    exports,
    views,
    views_capacity,
    views_member,
    views_schedule,
    views_setup,
)

app_name = "residency"
urlpatterns = [
    path("", views.home, name="home"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<int:pk>/", views.department_edit, name="department_edit"),
    path(
        "departments/<int:pk>/capacity/",
        views_capacity.department_capacity,
        name="department_capacity",
    ),
    path("calendars/new/", views.calendar_create, name="calendar_create"),
    path("calendars/<int:pk>/", views.calendar_detail, name="calendar_detail"),
    path("programs/new/", views_setup.program_create, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views_setup.program_edit, name="program_edit"),
    path("programs/<int:pk>/requirements/", views.requirement_add, name="requirement_add"),
    path("programs/<int:pk>/rules/", views.program_rules, name="program_rules"),
    path("requirements/<int:pk>/", views_setup.requirement_edit, name="requirement_edit"),
    path(
        "requirements/<int:pk>/remove/", views_setup.requirement_remove, name="requirement_remove"
    ),
    path("cohorts/new/", views_setup.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", views_schedule.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/members/new/", views_member.member_add, name="member_add"),
    path("members/<int:pk>/", views_member.member_edit, name="member_edit"),
    path("members/<int:pk>/remove/", views_member.member_remove, name="member_remove"),
    path("quotas/", views_setup.quota_list, name="quota_list"),
    path("quotas/set/", views_setup.quota_set, name="quota_set"),
    path("quotas/<int:pk>/remove/", views_setup.quota_remove, name="quota_remove"),
    path("cohorts/<int:pk>/generate/", views_schedule.proposal_generate, name="proposal_generate"),
    path("cohorts/<int:pk>/schedule/", views_schedule.schedule_detail, name="schedule_detail"),
    path("cohorts/<int:pk>/schedule.xlsx", exports.schedule_xlsx, name="schedule_xlsx"),
    path(
        "cohorts/<int:pk>/schedule-<str:kind>.json",
        exports.schedule_download,
        name="schedule_download",
    ),
    path("proposals/<int:pk>/", views_schedule.proposal_detail, name="proposal_detail"),
    path(
        "proposals/<int:pk>/progress/", views_schedule.proposal_progress, name="proposal_progress"
    ),
    path("proposals/<int:pk>/pin/", views_schedule.proposal_pin, name="proposal_pin"),
    path("proposals/<int:pk>/resolve/", views_schedule.proposal_resolve, name="proposal_resolve"),
    path(
        "proposals/<int:pk>/solve-now/",
        views_schedule.proposal_solve_now,
        name="proposal_solve_now",
    ),
    path("proposals/<int:pk>/stop/", views_schedule.proposal_stop, name="proposal_stop"),
    path("proposals/<int:pk>/approve/", views_schedule.proposal_approve, name="proposal_approve"),
    path("proposals/<int:pk>/publish/", views_schedule.proposal_publish, name="proposal_publish"),
    path("proposals/<int:pk>/<str:kind>.json", exports.proposal_download, name="proposal_download"),
    path("my/", views_schedule.my_schedule, name="my_schedule"),
    path("my/<int:pk>/leave/", views_schedule.leave_create, name="leave_create"),
    path("my/<int:pk>/swap/", views_schedule.swap_create, name="swap_create"),
    path("requests/", views_schedule.request_list, name="request_list"),
    path("requests/leave/<int:pk>/decide/", views_schedule.leave_decide, name="leave_decide"),
    path("requests/swap/<int:pk>/decide/", views_schedule.swap_decide, name="swap_decide"),
    path("requests/swap/<int:pk>/answer/", views_schedule.swap_answer, name="swap_answer"),
]
