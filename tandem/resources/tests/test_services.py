import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.agreements.models import AgreementStatus
from tandem.agreements.tests.factories import AgreementFactory, AgreementPartyFactory
from tandem.core.models import AuditEvent
from tandem.institutions.tests.factories import UnitFactory
from tandem.resources import services
from tandem.resources.models import ResourceOpening, SharedResource
from tandem.resources.tests.helpers import end_agreement

pytestmark = pytest.mark.django_db


def test_coordinator_lists_a_resource_and_it_is_audited(cast):
    resource = services.resource_create(
        actor=cast.coord_a,
        institution=cast.inst_a,
        name=" Mass spectrometer ",
        kind="instrument",
        unit=cast.lab_a,
    )
    assert resource.name == "Mass spectrometer"
    assert AuditEvent.objects.filter(action="resource.create", target_id=str(resource.pk)).exists()


def test_coordinator_of_another_institution_cannot_list_a_resource_there(cast):
    with pytest.raises(PermissionDenied):
        services.resource_create(
            actor=cast.coord_b, institution=cast.inst_a, name="X", kind="instrument"
        )


def test_unit_must_belong_to_the_owner(cast):
    with pytest.raises(ValidationError) as exc:
        services.resource_create(
            actor=cast.coord_b,
            institution=cast.inst_b,
            name="X",
            kind="instrument",
            unit=cast.lab_a,
        )
    assert "unit" in exc.value.message_dict
    assert not SharedResource.objects.filter(name="X").exists()


def test_duplicate_name_at_the_same_owner_is_refused(cast):
    with pytest.raises(ValidationError):
        services.resource_create(
            actor=cast.coord_a,
            institution=cast.inst_a,
            name="Confocal microscope",
            kind="instrument",
        )


def test_partner_cannot_change_a_resource_opened_to_them(cast):
    with pytest.raises(PermissionDenied):
        services.resource_update(actor=cast.coord_b, resource=cast.resource_a, location="Here")


def test_deactivation_keeps_the_resource_and_is_audited(cast):
    services.resource_deactivate(actor=cast.coord_a, resource=cast.resource_a, reason="Broken")
    cast.resource_a.refresh_from_db()
    assert cast.resource_a.is_active is False
    event = AuditEvent.objects.get(action="resource.update", target_id=str(cast.resource_a.pk))
    assert event.changes == {"is_active": [True, False]} and event.reason == "Broken"


def test_open_under_a_draft_agreement_with_both_parties(cast):
    opening = services.resource_opening_create(
        actor=cast.coord_a, resource=cast.resource_a, agreement=cast.draft_ab, partner=cast.inst_b
    )
    assert opening.pk
    assert AuditEvent.objects.filter(action="resource.open").count() == 1


def test_cannot_open_to_the_owner_itself(cast):
    with pytest.raises(ValidationError) as exc:
        services.resource_opening_create(
            actor=cast.coord_a,
            resource=cast.resource_a,
            agreement=cast.draft_ab,
            partner=cast.inst_a,
        )
    assert "partner" in exc.value.message_dict


def test_cannot_open_to_an_institution_outside_the_agreement(cast):
    with pytest.raises(ValidationError) as exc:
        services.resource_opening_create(
            actor=cast.coord_a,
            resource=cast.resource_a,
            agreement=cast.draft_ab,
            partner=cast.inst_c,
        )
    assert "partner" in exc.value.message_dict
    assert ResourceOpening.objects.filter(partner=cast.inst_c).count() == 0


def test_cannot_open_under_an_agreement_the_owner_is_not_party_to(cast):
    agreement = AgreementFactory(status=AgreementStatus.ACTIVE)
    AgreementPartyFactory(agreement=agreement, institution=cast.inst_b)
    AgreementPartyFactory(agreement=agreement, institution=cast.inst_c)
    with pytest.raises(ValidationError) as exc:
        services.resource_opening_create(
            actor=cast.coord_a,
            resource=cast.resource_a,
            agreement=agreement,
            partner=cast.inst_b,
        )
    assert "agreement" in exc.value.message_dict


def test_cannot_open_under_an_ended_agreement(cast):
    end_agreement(cast.draft_ab)
    cast.draft_ab.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.resource_opening_create(
            actor=cast.coord_a,
            resource=cast.resource_a,
            agreement=cast.draft_ab,
            partner=cast.inst_b,
        )
    assert "agreement" in exc.value.message_dict


def test_same_opening_twice_names_the_partner(cast):
    with pytest.raises(ValidationError) as exc:
        services.resource_opening_create(
            actor=cast.coord_a,
            resource=cast.resource_a,
            agreement=cast.agreement_ab,
            partner=cast.inst_b,
        )
    assert "partner" in exc.value.message_dict


def test_partner_cannot_open_the_owner_resource(cast):
    with pytest.raises(PermissionDenied):
        services.resource_opening_create(
            actor=cast.coord_b,
            resource=cast.resource_a,
            agreement=cast.draft_ab,
            partner=cast.inst_b,
        )


def test_closing_an_opening_removes_it_and_is_audited(cast):
    opening = cast.resource_a.openings.get()
    services.resource_opening_close(actor=cast.coord_a, opening=opening, reason="Lab moved")
    assert not cast.resource_a.openings.exists()
    event = AuditEvent.objects.get(action="resource.close")
    assert event.target_id == str(cast.resource_a.pk) and event.reason == "Lab moved"


def test_tutor_at_owner_cannot_close_an_opening(cast):
    with pytest.raises(PermissionDenied):
        services.resource_opening_close(actor=cast.tutor_a, opening=cast.resource_a.openings.get())
    assert cast.resource_a.openings.exists()


def test_unit_of_the_owner_is_accepted_on_update(cast):
    unit = UnitFactory(institution=cast.inst_a)
    resource = services.resource_update(actor=cast.admin, resource=cast.resource_a, unit=unit)
    assert resource.unit == unit
