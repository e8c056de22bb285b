"""The JSON API at /api/v1/: one NinjaAPI mounting a router per app."""

from tandem.accounts.api import router as accounts_router
from tandem.accounts.api_auth import API_AUTH
from tandem.agreements.api import router as agreements_router
from tandem.alerts.api import router as alerts_router
from tandem.assessments.api import router as assessments_router
from tandem.bookings.api import router as bookings_router
from tandem.conduct.api import router as conduct_router
from tandem.core.api import TandemAPI, install_error_handlers
from tandem.cultivation.api import router as cultivation_router
from tandem.evaluations.api import router as evaluations_router
from tandem.faculty.api import router as faculty_router
from tandem.feedback.api import router as feedback_router
from tandem.funds.api import router as funds_router
from tandem.imports.api import router as imports_router
from tandem.institutions.api import router as institutions_router
from tandem.institutions.api_calendar import router as institutions_calendar_router
from tandem.logbook.api import router as logbook_router
from tandem.meetings.api import router as meetings_router
from tandem.milestones.api import router as milestones_router
from tandem.plans.api import router as plans_router
from tandem.portal.api import reports_router
from tandem.portal.api import router as portal_router
from tandem.publications.api import router as publications_router
from tandem.quality.api import router as quality_router
from tandem.residency.api import router as residency_router
from tandem.resources.api import router as resources_router
from tandem.rewards.api import router as rewards_router
from tandem.teaching.api import router as teaching_router
from tandem.visits.api import router as visits_router
from tandem.wellbeing.api import router as wellbeing_router
from tandem.workhours.api import router as workhours_router

api = TandemAPI(
    title="Tandem API",
    version="1",
    description="Joint training of medical postgraduates and residents across institutions.",
    urls_namespace="api-v1",
    auth=API_AUTH,
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/accounts/", accounts_router)
api.add_router("/institutions/", institutions_router)
api.add_router("/institutions/", institutions_calendar_router)
api.add_router("/agreements/", agreements_router)
api.add_router("/resources/", resources_router)
# The tutor workspace first: /cultivation/workspace is not a /cultivation/{cultivation_id}.
api.add_router("/cultivation/", portal_router)
api.add_router("/cultivation/", cultivation_router)
api.add_router("/reports/", reports_router)
api.add_router("/plans/", plans_router)
api.add_router("/residency/", residency_router)
api.add_router("/funds/", funds_router)
api.add_router("/publications/", publications_router)
api.add_router("/bookings/", bookings_router)
api.add_router("/meetings/", meetings_router)
api.add_router("/feedback/", feedback_router)
api.add_router("/alerts/", alerts_router)
api.add_router("/imports/", imports_router)
api.add_router("/evaluations/", evaluations_router)
api.add_router("/wellbeing/", wellbeing_router)
api.add_router("/logbook/", logbook_router)
api.add_router("/milestones/", milestones_router)
api.add_router("/workhours/", workhours_router)
api.add_router("/teaching/", teaching_router)
api.add_router("/faculty/", faculty_router)
api.add_router("/quality/", quality_router)
api.add_router("/conduct/", conduct_router)
api.add_router("/rewards/", rewards_router)
api.add_router("/visits/", visits_router)
api.add_router("/assessments/", assessments_router)
