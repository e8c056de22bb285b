from django.contrib import admin
from django.urls import include, path, re_path

from config.api import api
from tandem.core import views as core_views
from tandem.core.api import not_found as api_not_found
from tandem.portal import views as portal_views
from tandem.portal import views_feed as portal_views_feed

urlpatterns = [
    path("", portal_views.dashboard, name="dashboard"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("tandem.accounts.auth_urls")),
    path("people/", include("tandem.accounts.urls")),
    path("institutions/", include("tandem.institutions.urls")),
    path("agreements/", include("tandem.agreements.urls")),
    path("resources/", include("tandem.resources.urls")),
    path("cultivation/", include("tandem.cultivation.urls")),
    path("", include("tandem.portal.urls")),
    path("plans/", include("tandem.plans.urls")),
    path("residency/", include("tandem.residency.urls")),
    path("funds/", include("tandem.funds.urls")),
    path("publications/", include("tandem.publications.urls")),
    path("bookings/", include("tandem.bookings.urls")),
    path("meetings/", include("tandem.meetings.urls")),
    path("feedback/", include("tandem.feedback.urls")),
    path("alerts/", include("tandem.alerts.urls")),
    # A person's one calendar feed (decision 079).
    path("calendar/<str:token>.ics", portal_views_feed.calendar_feed, name="calendar_feed"),
    path("imports/", include("tandem.imports.urls")),
    path("evaluations/", include("tandem.evaluations.urls")),
    path("wellbeing/", include("tandem.wellbeing.urls")),
    path("logbook/", include("tandem.logbook.urls")),
    path("milestones/", include("tandem.milestones.urls")),
    path("workhours/", include("tandem.workhours.urls")),
    path("teaching/", include("tandem.teaching.urls")),
    path("faculty/", include("tandem.faculty.urls")),
    path("quality/", include("tandem.quality.urls")),
    path("conduct/", include("tandem.conduct.urls")),
    path("rewards/", include("tandem.rewards.urls")),
    path("visits/", include("tandem.visits.urls")),
    path("assessments/", include("tandem.assessments.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The API answers JSON only: a path under /api/ that matches no operation is a JSON 404.
    re_path(r"^api/", api_not_found),
]

handler400 = "tandem.core.views.bad_request"
handler403 = "tandem.core.views.permission_denied"
handler404 = "tandem.core.views.page_not_found"
handler500 = "tandem.core.views.server_error"
