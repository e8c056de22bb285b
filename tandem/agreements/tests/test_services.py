import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tandem.accounts.models import Role
from tandem.accounts.tests.factories import MembershipFactory, UserFactory
from tandem.agreements import services
from tandem.agreements.models import Agreement, AgreementForm, AgreementStatus
from tandem.core.models import AuditEvent
from tandem.institutions.models import InstitutionKind
from tandem.institutions.tests.factories import InstitutionFactory
from tandem.resources.models import ResourceOpening


def draft_kwargs(cast, **overrides):
    values = {
        "title": "WMU–EMU doctoral exchange",
        "form": AgreementForm.UNIVERSITY_DOMESTIC,
        "start_date": datetime.date(2026, 1, 1),
        "end_date": datetime.date(2028, 12, 31),
        "parties": [
            {"institution": cast.inst_a, "funding_share": 70, "responsibilities": "Labs"},
            {"institution": cast.inst_b.pk, "funding_share": "30", "responsibilities": ""},
        ],
        "quotas": [{"year": 2026, "max_trainees": 4}, {"year": 2027, "max_trainees": 6}],
        "ip_clause": "Shared by both.",
    }
    values.update(overrides)
    return values


def actions(target):
    return list(
        AuditEvent.objects.filter(target_id=str(target.pk), target_repr__startswith=target.title)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# Drafting ----------------------------------------------------------------------------------


def test_coordinator_drafts_agreement_with_parties_quotas_and_audit(cast):
    agreement = services.agreement_draft(actor=cast.coord_a, **draft_kwargs(cast))
    assert agreement.status == AgreementStatus.DRAFT
    assert agreement.created_by == cast.coord_a
    assert [p.funding_share for p in agreement.parties.all()] == [Decimal("70"), Decimal("30")]
    assert list(agreement.quotas.values_list("year", "max_trainees")) == [(2026, 4), (2027, 6)]
    assert agreement.ip_clause == "Shared by both."
    event = AuditEvent.objects.get(action="agreement.draft", target_id=str(agreement.pk))
    assert event.actor == cast.coord_a
    assert "parties" in event.changes


def test_outsider_cannot_draft_for_institutions_they_do_not_coordinate(cast):
    with pytest.raises(PermissionDenied):
        services.agreement_draft(actor=cast.outsider, **draft_kwargs(cast))
    assert not Agreement.objects.filter(title="WMU–EMU doctoral exchange").exists()


@pytest.mark.parametrize("actor", ["tutor_a", "trainee"])
def test_non_coordinators_cannot_draft(cast, actor):
    with pytest.raises(PermissionDenied):
        services.agreement_draft(actor=cast.actor(actor), **draft_kwargs(cast))


def test_admin_may_draft_for_any_institutions(cast):
    agreement = services.agreement_draft(actor=cast.admin, **draft_kwargs(cast))
    assert agreement.pk


def _field_errors(cast, **overrides):
    count = Agreement.objects.count()
    with pytest.raises(ValidationError) as info:
        services.agreement_draft(actor=cast.coord_a, **draft_kwargs(cast, **overrides))
    assert Agreement.objects.count() == count, "nothing may be saved"
    return info.value.message_dict


def test_shares_must_add_up_to_100_naming_the_last_share(cast):
    parties = [
        {"institution": cast.inst_a, "funding_share": 70},
        {"institution": cast.inst_b, "funding_share": 20},
    ]
    errors = _field_errors(cast, parties=parties)
    assert "parties[1].funding_share" in errors


def test_all_shares_zero_means_no_funding_split(cast):
    parties = [{"institution": cast.inst_a}, {"institution": cast.inst_b, "funding_share": 0}]
    agreement = services.agreement_draft(actor=cast.coord_a, **draft_kwargs(cast, parties=parties))
    assert agreement.parties.count() == 2


def test_at_least_two_distinct_parties(cast):
    errors = _field_errors(cast, parties=[{"institution": cast.inst_a, "funding_share": 100}])
    assert "parties" in errors
    errors = _field_errors(
        cast, parties=[{"institution": cast.inst_a}, {"institution": cast.inst_a}]
    )
    assert "parties[1].institution" in errors


def test_unknown_institution_is_named(cast):
    errors = _field_errors(cast, parties=[{"institution": cast.inst_a}, {"institution": 99999}])
    assert "parties[1].institution" in errors


def test_share_out_of_range_is_named(cast):
    parties = [
        {"institution": cast.inst_a, "funding_share": 120},
        {"institution": cast.inst_b, "funding_share": -20},
    ]
    errors = _field_errors(cast, parties=parties)
    assert "parties[0].funding_share" in errors


def test_quota_year_outside_the_term_is_named(cast):
    errors = _field_errors(
        cast, quotas=[{"year": 2026, "max_trainees": 2}, {"year": 2031, "max_trainees": 2}]
    )
    assert "quotas[1].year" in errors


def test_duplicate_quota_year_is_named(cast):
    errors = _field_errors(
        cast, quotas=[{"year": 2026, "max_trainees": 2}, {"year": 2026, "max_trainees": 3}]
    )
    assert "quotas[1].year" in errors


def test_term_must_be_positive(cast):
    errors = _field_errors(cast, end_date=datetime.date(2025, 1, 1), quotas=[])
    assert "end_date" in errors


def test_title_is_required(cast):
    assert "title" in _field_errors(cast, title="  ")


def test_university_enterprise_needs_an_enterprise(cast):
    errors = _field_errors(cast, form=AgreementForm.UNIVERSITY_ENTERPRISE)
    assert "form" in errors
    enterprise = InstitutionFactory(kind=InstitutionKind.ENTERPRISE)
    parties = [{"institution": cast.inst_a}, {"institution": enterprise}]
    agreement = services.agreement_draft(
        actor=cast.coord_a,
        **draft_kwargs(cast, form=AgreementForm.UNIVERSITY_ENTERPRISE, parties=parties),
    )
    assert agreement.form == AgreementForm.UNIVERSITY_ENTERPRISE


def test_university_institute_needs_a_research_institute(cast):
    assert "form" in _field_errors(cast, form=AgreementForm.UNIVERSITY_INSTITUTE)


def test_foreign_form_needs_a_party_outside_china_and_domestic_refuses_one(cast):
    assert "form" in _field_errors(cast, form=AgreementForm.UNIVERSITY_FOREIGN)
    abroad = InstitutionFactory(kind=InstitutionKind.UNIVERSITY, country="DE")
    parties = [{"institution": cast.inst_a}, {"institution": abroad}]
    assert "form" in _field_errors(cast, parties=parties)
    agreement = services.agreement_draft(
        actor=cast.coord_a,
        **draft_kwargs(cast, form=AgreementForm.UNIVERSITY_FOREIGN, parties=parties),
    )
    assert agreement.pk


def test_tutor_initiated_needs_a_tutor_at_a_party(cast):
    errors = _field_errors(cast, form=AgreementForm.TUTOR_INITIATED)
    assert "initiating_tutor" in errors
    errors = _field_errors(cast, form=AgreementForm.TUTOR_INITIATED, initiating_tutor=cast.trainee)
    assert "initiating_tutor" in errors
    agreement = services.agreement_draft(
        actor=cast.coord_a,
        **draft_kwargs(cast, form=AgreementForm.TUTOR_INITIATED, initiating_tutor=cast.tutor_a),
    )
    assert agreement.initiating_tutor == cast.tutor_a


def test_update_replaces_parties_and_quotas_of_a_draft(cast):
    agreement = services.agreement_update(
        actor=cast.coord_b,
        agreement=cast.draft_ab,
        **draft_kwargs(cast, title="Renamed", quotas=[{"year": 2027, "max_trainees": 9}]),
    )
    assert agreement.title == "Renamed"
    assert list(agreement.quotas.values_list("year", flat=True)) == [2027]
    event = AuditEvent.objects.get(action="agreement.update", target_id=str(agreement.pk))
    assert event.changes["title"][1] == "Renamed"


def test_update_is_refused_once_someone_signed(cast):
    services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    with pytest.raises(ValidationError):
        services.agreement_update(actor=cast.coord_a, agreement=cast.draft_ab, **draft_kwargs(cast))


# Signing -------------------------------------------------------------------------------------


def test_agreement_becomes_active_only_after_every_party_signed(cast):
    agreement = services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    assert agreement.status == AgreementStatus.SIGNING
    assert agreement.activated_at is None
    agreement = services.agreement_sign(actor=cast.coord_b, agreement=agreement)
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.activated_at is not None
    assert (
        AuditEvent.objects.filter(action="agreement.sign", target_id=str(agreement.pk)).count() == 2
    )


def test_signing_twice_for_the_same_institution_is_refused(cast):
    services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    with pytest.raises(ValidationError) as info:
        services.agreement_sign(
            actor=cast.coord_a, agreement=cast.draft_ab, institution=cast.inst_a
        )
    assert "institution" in info.value.message_dict


def test_coordinator_cannot_sign_for_another_party(cast):
    with pytest.raises(PermissionDenied):
        services.agreement_sign(
            actor=cast.coord_a, agreement=cast.draft_ab, institution=cast.inst_b
        )


@pytest.mark.parametrize("actor", ["admin", "tutor_a", "outsider"])
def test_only_party_coordinators_sign(cast, actor):
    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=cast.actor(actor), agreement=cast.draft_ab)


def test_signing_with_a_stale_copy_still_activates(cast):
    """Two coordinators load the draft at the same moment; the service re-reads the locked row,
    so the second signature sees the first and the activation is not lost."""
    copy_a = Agreement.objects.get(pk=cast.draft_ab.pk)
    copy_b = Agreement.objects.get(pk=cast.draft_ab.pk)
    services.agreement_sign(actor=cast.coord_a, agreement=copy_a)
    result = services.agreement_sign(actor=cast.coord_b, agreement=copy_b)
    assert result.status == AgreementStatus.ACTIVE
    assert Agreement.objects.get(pk=cast.draft_ab.pk).status == AgreementStatus.ACTIVE


def test_sign_locks_the_agreement_row(cast, monkeypatch):
    calls = []
    original = services._lock

    def spy(agreement):
        calls.append(agreement.pk)
        return original(agreement)

    monkeypatch.setattr(services, "_lock", spy)
    services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    assert calls == [cast.draft_ab.pk]


# Amending ------------------------------------------------------------------------------------


def _amend_and_sign(cast, reason="Quota for 2027"):
    amendment = services.agreement_amend(
        actor=cast.coord_a, agreement=cast.agreement_ab, reason=reason
    )
    services.agreement_sign(actor=cast.coord_a, agreement=amendment)
    return services.agreement_sign(actor=cast.coord_b, agreement=amendment)


def test_amendment_copies_terms_and_keeps_old_version_active_until_signed(cast):
    amendment = services.agreement_amend(
        actor=cast.coord_b, agreement=cast.agreement_ab, reason="More trainees"
    )
    assert amendment.version == 2
    assert amendment.amends == cast.agreement_ab
    assert amendment.status == AgreementStatus.DRAFT
    assert amendment.parties.count() == 2
    assert list(amendment.quotas.values_list("year", flat=True)) == [2026]
    services.agreement_sign(actor=cast.coord_a, agreement=amendment)
    cast.agreement_ab.refresh_from_db()
    assert cast.agreement_ab.status == AgreementStatus.ACTIVE


def test_signed_amendment_supersedes_and_keeps_the_old_version(cast):
    new = _amend_and_sign(cast)
    cast.agreement_ab.refresh_from_db()
    assert new.status == AgreementStatus.ACTIVE
    assert cast.agreement_ab.status == AgreementStatus.SUPERSEDED
    assert AuditEvent.objects.filter(
        action="agreement.supersede", target_id=str(cast.agreement_ab.pk)
    ).exists()


def test_activation_of_amendment_repoints_resource_openings(cast):
    opening = ResourceOpening.objects.get(agreement=cast.agreement_ab)
    new = _amend_and_sign(cast)
    opening.refresh_from_db()
    assert opening.agreement == new
    assert AuditEvent.objects.filter(
        action="resource_opening.repoint", target_id=str(opening.pk)
    ).exists()


def test_openings_stay_with_old_version_while_amendment_is_unsigned(cast):
    amendment = services.agreement_amend(
        actor=cast.coord_a, agreement=cast.agreement_ab, reason="x"
    )
    services.agreement_sign(actor=cast.coord_a, agreement=amendment)
    assert ResourceOpening.objects.filter(agreement=cast.agreement_ab).count() == 1


def test_only_one_open_amendment_at_a_time(cast):
    services.agreement_amend(actor=cast.coord_a, agreement=cast.agreement_ab, reason="one")
    with pytest.raises(ValidationError, match="already being prepared"):
        services.agreement_amend(actor=cast.coord_b, agreement=cast.agreement_ab, reason="two")


def test_withdrawn_amendment_frees_the_version_for_a_new_one(cast):
    first = services.agreement_amend(actor=cast.coord_a, agreement=cast.agreement_ab, reason="1")
    services.agreement_withdraw(actor=cast.coord_a, agreement=first, reason="Wrong numbers")
    first.refresh_from_db()
    assert first.status == AgreementStatus.TERMINATED
    second = services.agreement_amend(actor=cast.coord_a, agreement=cast.agreement_ab, reason="2")
    assert second.amends == cast.agreement_ab


def test_amend_requires_reason_and_active_agreement(cast):
    with pytest.raises(ValidationError) as info:
        services.agreement_amend(actor=cast.coord_a, agreement=cast.agreement_ab, reason=" ")
    assert "reason" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.agreement_amend(actor=cast.coord_a, agreement=cast.draft_ab, reason="x")


def test_tutor_cannot_amend(cast):
    with pytest.raises(PermissionDenied):
        services.agreement_amend(actor=cast.tutor_a, agreement=cast.agreement_ab, reason="x")


# Ending ------------------------------------------------------------------------------------


def test_terminate_requires_a_reason_and_saves_nothing_without_one(cast):
    with pytest.raises(ValidationError) as info:
        services.agreement_terminate(actor=cast.coord_a, agreement=cast.agreement_ab, reason="")
    assert "reason" in info.value.message_dict
    cast.agreement_ab.refresh_from_db()
    assert cast.agreement_ab.status == AgreementStatus.ACTIVE


def test_any_party_coordinator_terminates_with_reason_and_audit(cast):
    agreement = services.agreement_terminate(
        actor=cast.coord_b, agreement=cast.agreement_ab, reason="Lab closed"
    )
    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.end_reason == "Lab closed"
    assert agreement.ended_at is not None
    event = AuditEvent.objects.get(action="agreement.terminate", target_id=str(agreement.pk))
    assert event.reason == "Lab closed"
    assert event.changes["status"] == ["active", "terminated"]


def test_terminating_ends_an_open_amendment_too(cast):
    amendment = services.agreement_amend(
        actor=cast.coord_a, agreement=cast.agreement_ab, reason="x"
    )
    services.agreement_terminate(actor=cast.coord_a, agreement=cast.agreement_ab, reason="End")
    amendment.refresh_from_db()
    assert amendment.status == AgreementStatus.TERMINATED


def test_withdraw_draft(cast):
    agreement = services.agreement_withdraw(
        actor=cast.coord_b, agreement=cast.draft_ab, reason="Not needed"
    )
    assert agreement.status == AgreementStatus.TERMINATED
    with pytest.raises(ValidationError):
        services.agreement_withdraw(actor=cast.coord_b, agreement=cast.agreement_ab, reason="x")


def test_expire_due_is_idempotent_and_audited(cast):
    expired = services.agreement_expire_due(today=datetime.date(2030, 1, 1))
    assert [a.pk for a in expired] == [cast.agreement_ab.pk]
    again = services.agreement_expire_due(today=datetime.date(2030, 1, 1))
    assert again == []
    cast.agreement_ab.refresh_from_db()
    assert cast.agreement_ab.status == AgreementStatus.EXPIRED
    assert AuditEvent.objects.filter(action="agreement.expire").count() == 1


def test_expire_does_not_touch_agreements_still_in_term(cast):
    assert services.agreement_expire_due(today=datetime.date(2029, 12, 31)) == []


def test_expire_command_is_idempotent(cast, capsys):
    call_command("expire_agreements", "--today", "2030-01-02")
    call_command("expire_agreements", "--today", "2030-01-02")
    cast.agreement_ab.refresh_from_db()
    assert cast.agreement_ab.status == AgreementStatus.EXPIRED
    assert AuditEvent.objects.filter(action="agreement.expire").count() == 1
    assert "0" in capsys.readouterr().out.splitlines()[-1]


# Attachments -------------------------------------------------------------------------------


def test_attachment_upload_checks_extension_and_size(cast, settings):
    settings.MAX_ATTACHMENT_BYTES = 10
    bad = SimpleUploadedFile("run.exe", b"MZ")
    with pytest.raises(ValidationError) as info:
        services.agreement_attachment_add(
            actor=cast.coord_a, agreement=cast.agreement_ab, title="x", file=bad
        )
    assert "file" in info.value.message_dict
    big = SimpleUploadedFile("scan.pdf", b"%PDF" + b"x" * 20)
    with pytest.raises(ValidationError) as info:
        services.agreement_attachment_add(
            actor=cast.coord_a, agreement=cast.agreement_ab, title="x", file=big
        )
    assert "file" in info.value.message_dict
    assert cast.agreement_ab.attachments.count() == 0


def test_attachment_upload_saves_and_audits(cast):
    attachment = services.agreement_attachment_add(
        actor=cast.coord_b,
        agreement=cast.agreement_ab,
        title="",
        file=SimpleUploadedFile("Signed copy.pdf", b"%PDF-1.4"),
    )
    assert attachment.title == "Signed copy"
    assert AuditEvent.objects.filter(action="agreement.attachment_add").exists()


def test_tutor_cannot_upload_attachment(cast):
    with pytest.raises(PermissionDenied):
        services.agreement_attachment_add(
            actor=cast.tutor_a,
            agreement=cast.agreement_ab,
            title="x",
            file=SimpleUploadedFile("a.pdf", b"%PDF"),
        )


def test_second_coordinator_role_at_a_party_counts(cast):
    deputy = UserFactory(username="deputy_b")
    MembershipFactory(user=deputy, institution=cast.inst_b, role=Role.COORDINATOR)
    services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    agreement = services.agreement_sign(actor=deputy, agreement=cast.draft_ab)
    assert agreement.status == AgreementStatus.ACTIVE
