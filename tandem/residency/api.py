"""The residency API at /api/v1/residency/: the same selectors, permissions and services as the
pages. Set-up (departments, calendars, programs, cohorts, quotas) is in `api_setup.py`, schedules
and requests in `api_schedule.py`, their shapes in `schemas.py`."""

from ninja import Router

from tandem.residency.api_schedule import router as schedule_router
from tandem.residency.api_setup import router as setup_router

router = Router(tags=["residency"])
router.add_router("", setup_router)
router.add_router("", schedule_router)
