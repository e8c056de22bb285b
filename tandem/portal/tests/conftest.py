"""Fixtures of the portal's report tests: a small consortium built by hand."""

import datetime

import pytest

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.cultivation.models import CultivationStatus
from tandem.cultivation.tests.factories import JointCultivationFactory
from tandem.institutions.models import Region
from tandem.institutions.tests.factories import InstitutionFactory


@pytest.fixture
def threshold(settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3


def cultivations(home, host, year, count, **extra):
    return [
        JointCultivationFactory(
            home=home,
            host=host,
            status=CultivationStatus.ACTIVE,
            planned_start=datetime.date(year, 9, 1),
            quota_year=year,
            **extra,
        )
        for _ in range(count)
    ]


@pytest.fixture
def consortium(threshold):
    """East 1 (Double First-Class) and East 2 send to West 1, which sends three back:
    East 1 → West 1: 4 in 2025, 5 in 2026; East 2 → West 1: 1 in 2025, 4 in 2026;
    West 1 → East 1: 3 in 2026; and one proposal that nobody approved (not counted)."""
    east1 = InstitutionFactory(name="East 1", region=Region.EASTERN, tier_labels=["双一流"])
    east2 = InstitutionFactory(name="East 2", region=Region.EASTERN)
    west1 = InstitutionFactory(name="West 1", region=Region.WESTERN)
    made = {
        "e1_2025": cultivations(east1, west1, 2025, 4),
        "e1_2026": cultivations(east1, west1, 2026, 5),
        "e2_2025": cultivations(east2, west1, 2025, 1),
        "e2_2026": cultivations(east2, west1, 2026, 4),
        "w1_2026": cultivations(west1, east1, 2026, 3),
    }
    JointCultivationFactory(home=east2, host=west1, status=CultivationStatus.PROPOSED)
    admin = UserFactory(username="bench-admin")
    MembershipFactory(user=admin, institution=None, role=Role.CONSORTIUM_ADMIN)
    coordinator = UserFactory(username="bench-coord")
    MembershipFactory(user=coordinator, institution=east2, role=Role.COORDINATOR)
    return {
        "east1": east1,
        "east2": east2,
        "west1": west1,
        "admin": admin,
        "coordinator": coordinator,
        **made,
    }
