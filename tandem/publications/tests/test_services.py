"""Recording, importing, waiving and confirming publications."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.models import AuditEvent
from tandem.cultivation.tests.factories import cultivation_in
from tandem.publications import services
from tandem.publications.models import Publication, TutorConfirmation
from tandem.publications.selectors import publication_list_visible_to
from tandem.publications.tests.factories import compliant_authors, record

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).parent / "samples"


def test_compliant_publication_is_recorded_with_authors_in_order_and_audited(cast):
    publication = record(cast)
    assert publication.compliant and publication.violations == []
    assert [a.name for a in publication.authors.order_by("position")] == [
        "Tina Trainee",
        "Tess Tutor",
        "Tom Tutor",
    ]
    assert AuditEvent.objects.filter(action="publication.record").count() == 1


def test_violation_is_stored_and_explained(cast):
    authors = compliant_authors(cast)
    authors[0]["institutions"] = [cast.inst_a]
    authors[0]["is_corresponding"], authors[1]["is_corresponding"] = True, False
    publication = record(cast, authors=authors)
    assert not publication.compliant
    assert set(publication.violations) == {"corresponding_not_tutor", "trainee_affiliations"}
    messages = [v.message for v in services.publication_violations(publication)]
    assert any("Eastern Medical University" in m for m in messages)


def test_bad_author_rows_name_the_field_and_save_nothing(cast):
    authors = compliant_authors(cast)
    authors[1]["credit_roles"] = ["catering"]
    with pytest.raises(ValidationError) as error:
        record(cast, authors=authors)
    assert "authors" in error.value.message_dict
    assert not Publication.objects.exists()


def test_same_doi_twice_for_one_trainee_is_refused(cast):
    first = record(cast)
    with pytest.raises(ValidationError) as error:
        record(cast, cultivation=first.cultivation)
    assert "doi" in error.value.message_dict


def test_outsider_and_resident_cannot_record(cast):
    cultivation = cultivation_in(cast, "active")
    for person in (cast.outsider, cast.resident):
        with pytest.raises(PermissionDenied):
            record(cast, cultivation=cultivation, actor=person)


def test_waiver_needs_both_coordinators_and_a_reason(cast):
    authors = compliant_authors(cast)
    authors[2]["credit_roles"] = []
    publication = record(cast, authors=authors)
    with pytest.raises(ValidationError) as error:
        services.publication_waive(actor=cast.coord_a, publication=publication, reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.publication_waive(actor=cast.admin, publication=publication, reason="x")
    services.publication_waive(
        actor=cast.coord_a, publication=publication, reason="Roles agreed by e-mail"
    )
    publication.refresh_from_db()
    assert not publication.compliant
    with pytest.raises(ValidationError):
        services.publication_waive(actor=cast.coord_a, publication=publication, reason="again")
    services.publication_waive(actor=cast.coord_b, publication=publication, reason="Agreed")
    publication.refresh_from_db()
    assert publication.compliant and publication.waiver_home_by == cast.coord_a
    assert AuditEvent.objects.filter(action="publication.waive").count() == 2


def test_correction_clears_waiver_and_confirmations(cast):
    publication = record(cast)
    services.publication_confirm(actor=cast.tutor_b, publication=publication)
    authors = compliant_authors(cast)
    authors.append({"name": "Wang Wu", "credit_roles": ["resources"]})
    services.publication_update(
        actor=cast.tutor_a,
        publication=publication,
        authors=authors,
        title=publication.title,
        journal="",
        year=2026,
        doi="",
    )
    assert not TutorConfirmation.objects.filter(publication=publication).exists()
    assert publication.authors.count() == 4


def test_both_current_tutors_confirm_once_each(cast):
    publication = record(cast)
    services.publication_confirm(actor=cast.tutor_b, publication=publication)
    with pytest.raises(ValidationError):
        services.publication_confirm(actor=cast.tutor_b, publication=publication)
    with pytest.raises(PermissionDenied):
        services.publication_confirm(actor=cast.coord_a, publication=publication)
    services.publication_confirm(actor=cast.tutor_a, publication=publication)
    assert {c.role for c in publication.confirmations.all()} == {"experimental", "theoretical"}


def test_tutors_cannot_confirm_a_violating_publication(cast):
    authors = compliant_authors(cast)
    authors[1]["is_corresponding"] = False
    publication = record(cast, authors=authors)
    with pytest.raises(ValidationError):
        services.publication_confirm(actor=cast.tutor_b, publication=publication)


def test_bibtex_import_creates_every_record_and_links_known_people(cast):
    cultivation = cultivation_in(cast, "active")
    text = (SAMPLES / "good.bib").read_text(encoding="utf-8").replace("Chen, Jing", "Tutor, Tom")
    created = services.publication_import(
        actor=cast.trainee, cultivation=cultivation, kind="bibtex", text=text
    )
    assert len(created) == 2
    assert created[0].authors.get(position=3).user == cast.tutor_a
    assert created[0].source == "bibtex"


@pytest.mark.parametrize(
    "kind, name", [("bibtex", "bad.bib"), ("ris", "bad.ris"), ("csl_json", "bad.json")]
)
def test_bad_files_are_refused_whole_with_row_messages(cast, kind, name):
    cultivation = cultivation_in(cast, "active")
    with pytest.raises(ValidationError) as error:
        services.publication_import(
            actor=cast.trainee,
            cultivation=cultivation,
            kind=kind,
            text=(SAMPLES / name).read_text(encoding="utf-8"),
        )
    assert len(error.value.message_dict["file"]) >= 2
    assert not Publication.objects.exists()


def test_import_with_a_duplicate_doi_imports_nothing(cast):
    publication = record(cast, doi="10.1111/medu.20260512")
    with pytest.raises(ValidationError) as error:
        services.publication_import(
            actor=cast.trainee,
            cultivation=publication.cultivation,
            kind="csl_json",
            text=(SAMPLES / "doi.json").read_text(encoding="utf-8"),
        )
    assert "Item 1" in error.value.message_dict["file"][0]
    assert Publication.objects.count() == 1


def test_visibility_follows_the_cultivation(cast):
    publication = record(cast)
    for person in (
        cast.admin,
        cast.coord_a,
        cast.coord_b,
        cast.tutor_a,
        cast.tutor_b,
        cast.trainee,
    ):
        assert publication in publication_list_visible_to(person)
    for person in (cast.outsider, cast.resident):
        assert not publication_list_visible_to(person).exists()


def test_status_filters_follow_confirmations_and_waivers(cast):
    from tandem.publications.selectors import publication_list_for_page

    confirmed = record(cast)
    for tutor in (cast.tutor_a, cast.tutor_b):
        services.publication_confirm(actor=tutor, publication=confirmed)
    authors = compliant_authors(cast)
    authors[1]["is_corresponding"] = False
    open_violation = record(
        cast, cultivation=confirmed.cultivation, authors=authors, doi="10.1000/open"
    )

    def titles(status):
        return {p.pk for p in publication_list_for_page(cast.coord_a, status=status)}

    assert titles("confirmed") == {confirmed.pk}
    assert titles("unconfirmed") == {open_violation.pk}
    assert titles("violations") == {open_violation.pk}
    assert titles("compliant") == {confirmed.pk}
    for coordinator in (cast.coord_a, cast.coord_b):
        services.publication_waive(actor=coordinator, publication=open_violation, reason="ok")
    assert titles("waived") == {open_violation.pk}
