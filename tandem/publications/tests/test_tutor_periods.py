"""The corresponding-author rule is judged by the tutor pair in force at submission, and a
waived paper reads "waived", never "compliant" (page, API, export)."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.cultivation.models import TutorAssignment
from tandem.cultivation.selectors import tutors_in_force_on
from tandem.cultivation.tests.factories import cultivation_in
from tandem.publications import exports, services
from tandem.publications.models import Publication
from tandem.publications.selectors import publication_list_for_page
from tandem.publications.tests.factories import compliant_authors, record

pytestmark = pytest.mark.django_db

CHANGE = datetime.datetime(2027, 3, 1, 9, tzinfo=datetime.UTC)


def _paired_since_2026(cast):
    """tutor_b experimental from Sept 2026, replaced by the coordinator of B on 1 March 2027."""
    cultivation = cultivation_in(cast, "active")
    start = datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC)
    cultivation.tutor_assignments.update(started_at=start)
    old = cultivation.tutor_assignments.get(role="experimental")
    old.ended_at, old.end_reason = CHANGE, "Retired"
    old.save()
    TutorAssignment.objects.create(
        cultivation=cultivation,
        tutor=cast.coord_b,
        role="experimental",
        institution=cast.inst_b,
        is_first_in_charge=True,
        quota_year=2027,
        started_at=CHANGE,
    )
    return cultivation


def test_pair_in_force_is_the_one_of_the_day(cast):
    cultivation = _paired_since_2026(cast)
    before = tutors_in_force_on(cultivation, datetime.date(2027, 2, 28))
    after = tutors_in_force_on(cultivation, datetime.date(2027, 3, 2))
    assert before["experimental"].tutor == cast.tutor_b
    assert after["experimental"].tutor == cast.coord_b
    assert before["theoretical"].tutor == after["theoretical"].tutor == cast.tutor_a


@time_machine.travel(datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC))
def test_paper_submitted_before_a_tutor_change_is_judged_by_the_former_pair(cast):
    cultivation = _paired_since_2026(cast)
    # tutor_b (the former first tutor) is the corresponding author.
    before = record(cast, cultivation=cultivation, submitted_on=datetime.date(2027, 2, 10))
    assert before.violations == [] and before.policy_status == "compliant"
    after = record(
        cast, cultivation=cultivation, submitted_on=datetime.date(2027, 4, 1), doi="10.1/after"
    )
    assert after.violations == ["corresponding_not_tutor"]


@time_machine.travel(datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC))
def test_unknown_submission_day_is_the_day_recorded(cast):
    cultivation = _paired_since_2026(cast)
    publication = record(cast, cultivation=cultivation)
    assert publication.judged_on == datetime.date(2027, 5, 1)
    assert publication.violations == ["corresponding_not_tutor"]


@time_machine.travel(datetime.datetime(2027, 5, 1, tzinfo=datetime.UTC))
def test_after_termination_papers_are_judged_by_the_pair_of_their_period(cast):
    cultivation = cultivation_in(cast, "active")
    cultivation.tutor_assignments.update(
        started_at=datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC),
        ended_at=datetime.datetime(2027, 4, 1, tzinfo=datetime.UTC),
    )
    cultivation.status = "terminated"
    cultivation.save()
    # The current pair is empty now; the pair of the period still answers for the paper.
    publication = record(
        cast, cultivation=cultivation, actor=cast.coord_a, submitted_on=datetime.date(2027, 1, 5)
    )
    assert publication.violations == [] and publication.compliant


def test_submission_in_the_future_is_refused_on_the_field(cast):
    with pytest.raises(ValidationError) as error:
        record(cast, submitted_on=datetime.date(2100, 1, 1))
    assert "submitted_on" in error.value.message_dict
    assert not Publication.objects.exists()


def _waived(cast):
    authors = compliant_authors(cast)
    authors[1]["is_corresponding"] = False
    authors[0]["is_corresponding"] = True
    publication = record(cast, authors=authors)
    services.publication_waive(actor=cast.coord_a, publication=publication, reason="Trainee led")
    services.publication_waive(actor=cast.coord_b, publication=publication, reason="Agreed")
    publication.refresh_from_db()
    return publication


def test_waiver_records_who_and_why_and_reads_waived(cast):
    publication = _waived(cast)
    assert publication.compliant  # acceptable: the tutors may confirm it
    assert publication.policy_status == "waived"
    assert (publication.waiver_home_by, publication.waiver_host_by) == (cast.coord_a, cast.coord_b)
    assert "Trainee led" in publication.waiver_reason
    assert not publication_list_for_page(cast.coord_a, status="compliant").exists()
    assert publication_list_for_page(cast.coord_a, status="waived").get() == publication


def test_api_says_waived_not_compliant(cast, client):
    publication = _waived(cast)
    client.force_login(cast.coord_a)
    body = client.get(f"/api/v1/publications/{publication.pk}").json()
    assert body["compliant"] is False
    assert body["policy_status"] == "waived"
    assert body["waiver_home_by_id"] == cast.coord_a.pk
    assert body["waiver_host_at"] is not None


def test_page_shows_waived_and_by_whom(cast, client):
    publication = _waived(cast)
    client.force_login(cast.coord_a)
    page = client.get(reverse("publications:detail", args=[publication.pk])).content.decode()
    assert "Waived by" in page and str(cast.coord_b) in page
    assert "Meets the policy" not in page
    listing = client.get(reverse("publications:list")).content.decode()
    assert "Waived" in listing and "Meets the policy" not in listing


def test_export_says_waived(cast):
    _waived(cast)
    data = exports.publications_workbook(publication_list_for_page(cast.coord_a))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("Authorship policy")] == "Waived"
    assert str(cast.coord_a) in row[header.index("Waived by")]
