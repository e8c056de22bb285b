import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.core.models import AuditEvent
from tandem.institutions import services
from tandem.institutions.models import Institution, Unit, UnitKind
from tandem.institutions.tests.factories import InstitutionFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _create(actor, **overrides):
    values = {"name": "Central Hospital", "code": "ch", "kind": "hospital", "region": "central"}
    return services.institution_create(actor=actor, **{**values, **overrides})


def test_admin_registers_an_institution_and_it_is_audited(cast):
    hospital = _create(
        cast.admin,
        code="CH",
        country="cn",
        tier_labels=["Grade 3A", "Grade 3A"],
        parent=cast.inst_a,
    )
    assert (hospital.code, hospital.country, hospital.tier_labels) == ("ch", "CN", ["Grade 3A"])
    event = AuditEvent.objects.get(action="institution.create", target_id=str(hospital.pk))
    assert event.actor == cast.admin
    assert event.changes["code"] == [None, "ch"]


def test_coordinator_cannot_register_an_institution(cast):
    with pytest.raises(PermissionDenied):
        _create(cast.coord_a)
    assert not Institution.objects.filter(code="ch").exists()


def test_duplicate_code_names_the_code_field_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        _create(cast.admin, code="wmu")
    assert "code" in exc.value.message_dict
    assert not AuditEvent.objects.filter(action="institution.create").exists()


def test_bad_country_code_names_the_country_field(cast):
    with pytest.raises(ValidationError) as exc:
        _create(cast.admin, country="China")
    assert "country" in exc.value.message_dict


def test_tier_labels_are_parsed_from_comma_separated_text():
    assert services.parse_tier_labels("Double First-Class, 985，211 ,, 985") == [
        "Double First-Class",
        "985",
        "211",
    ]
    assert services.parse_tier_labels("") == []


def test_institution_cannot_be_its_own_parent(cast):
    with pytest.raises(ValidationError) as exc:
        services.institution_update(actor=cast.admin, institution=cast.inst_a, parent=cast.inst_a)
    assert "parent" in exc.value.message_dict


def test_affiliation_cannot_make_a_cycle(cast):
    hospital = _create(cast.admin, parent=cast.inst_a)
    clinic = _create(cast.admin, name="Clinic", code="clinic", parent=hospital)
    with pytest.raises(ValidationError) as exc:
        services.institution_update(actor=cast.admin, institution=cast.inst_a, parent=clinic)
    assert "parent" in exc.value.message_dict
    cast.inst_a.refresh_from_db()
    assert cast.inst_a.parent is None


def test_deactivating_an_institution_keeps_it_and_records_the_change(cast):
    services.institution_update(
        actor=cast.admin, institution=cast.inst_c, is_active=False, reason="Left the consortium"
    )
    cast.inst_c.refresh_from_db()
    assert cast.inst_c.is_active is False
    event = AuditEvent.objects.get(action="institution.update", target_id=str(cast.inst_c.pk))
    assert event.changes == {"is_active": [True, False]}
    assert event.reason == "Left the consortium"


def test_update_rejects_fields_that_cannot_be_changed(cast):
    with pytest.raises(ValidationError) as exc:
        services.institution_update(actor=cast.admin, institution=cast.inst_a, created_at=None)
    assert "created_at" in exc.value.message_dict


def test_coordinator_adds_a_unit_to_their_institution(cast):
    unit = services.unit_create(
        actor=cast.coord_a,
        institution=cast.inst_a,
        name="Surgery base",
        kind=UnitKind.TRAINING_BASE,
        specialty="surgery",
        parent=cast.lab_a,
    )
    assert unit.institution == cast.inst_a
    assert AuditEvent.objects.filter(action="unit.create", target_id=str(unit.pk)).exists()


def test_coordinator_of_another_institution_cannot_add_a_unit(cast):
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=cast.coord_b, institution=cast.inst_a, name="X", kind=UnitKind.DEPARTMENT
        )


def test_training_base_requires_a_specialty_and_saves_nothing(cast):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=cast.coord_a, institution=cast.inst_a, name="Base", kind=UnitKind.TRAINING_BASE
        )
    assert "specialty" in exc.value.message_dict
    assert not Unit.objects.filter(name="Base").exists()


def test_parent_unit_must_be_in_the_same_institution(cast):
    other = UnitFactory(institution=cast.inst_b)
    with pytest.raises(ValidationError) as exc:
        services.unit_create(
            actor=cast.coord_a,
            institution=cast.inst_a,
            name="Sub",
            kind=UnitKind.DEPARTMENT,
            parent=other,
        )
    assert "parent" in exc.value.message_dict


def test_unit_cannot_be_part_of_its_own_part(cast):
    child = UnitFactory(institution=cast.inst_a, parent=cast.lab_a)
    with pytest.raises(ValidationError) as exc:
        services.unit_update(actor=cast.coord_a, unit=cast.lab_a, parent=child)
    assert "parent" in exc.value.message_dict


def test_unit_deactivation_is_audited(cast):
    services.unit_update(actor=cast.coord_a, unit=cast.lab_a, is_active=False)
    cast.lab_a.refresh_from_db()
    assert cast.lab_a.is_active is False
    assert AuditEvent.objects.filter(action="unit.update", target_id=str(cast.lab_a.pk)).exists()


def test_database_refuses_a_training_base_without_specialty():
    from django.db import IntegrityError, transaction

    institution = InstitutionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(institution=institution, name="Base", kind=UnitKind.TRAINING_BASE)
