"""What the system writes itself is stored as codes and parameters and worded when shown, in
the reader's language, never in the language of whoever happened to act (issue 19, item 12)."""

import datetime
import importlib
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from tandem.agreements import services as agreement_services
from tandem.bookings import services as booking_services
from tandem.bookings.tests.factories import slot
from tandem.bookings.tests.helpers import fund_for, rules_for
from tandem.core.audit_labels import choice, generated
from tandem.core.models import AuditEvent
from tandem.plans import services as plan_services
from tandem.plans.tests.factories import cast_cultivation
from tandem.portal.history import describe, humanise

core_migration = importlib.import_module("tandem.core.migrations.0002_audit_event_reason_code")
funds_migration = importlib.import_module("tandem.funds.migrations.0003_expense_generated_texts")


def _charged_booking(cast):
    rules_for(cast.resource_a, cost_per_hour=Decimal("120"))
    fund = fund_for(cast.trainee, cast.inst_a)
    start, end = slot(2, 10, 2)
    booking = booking_services.booking_request(
        actor=cast.trainee, resource=cast.resource_a, start=start, end=end, fund=fund
    )
    return booking_services.booking_approve(actor=cast.coord_a, booking=booking, note="ok")


def test_a_bookings_charge_reads_in_the_readers_language_whoever_acted(cast):
    with translation.override("zh-hans"):
        booking = _charged_booking(cast)
    charge = booking.charge
    assert charge.description.startswith(f"Booking #{booking.pk}: ")  # the site's language
    with translation.override("en"):
        assert charge.description_text.startswith(f"Booking #{booking.pk}: ")
    with translation.override("zh-hans"):
        assert charge.description_text.startswith(f"预约 #{booking.pk}：")


def test_a_cancelled_bookings_reversal_and_its_reason_read_in_the_readers_language(cast):
    booking = _charged_booking(cast)
    with translation.override("zh-hans"):
        booking_services.booking_cancel(actor=cast.trainee, booking=booking)
    reversal = booking.charge.reversal
    assert reversal.reason == f"Booking #{booking.pk} cancelled."
    with translation.override("zh-hans"):
        assert reversal.description_text.startswith(f"冲销：预约 #{booking.pk}：")
        assert reversal.reason_text == f"预约 #{booking.pk} 已取消。"
    event = AuditEvent.objects.get(action="expense.reverse")
    assert (event.reason, event.reason_code) == ("", "booking.cancelled")
    with translation.override("en"):
        assert describe(event).reason == f"Booking #{booking.pk} cancelled."
    with translation.override("zh-hans"):
        assert describe(event).reason == f"预约 #{booking.pk} 已取消。"


def test_a_reason_a_person_wrote_is_kept_as_written(cast):
    booking = _charged_booking(cast)
    booking_services.booking_cancel(actor=cast.trainee, booking=booking, reason="仪器故障")
    reversal = booking.charge.reversal
    with translation.override("en"):
        assert reversal.reason_text == "仪器故障"
    assert AuditEvent.objects.get(action="expense.reverse").reason == "仪器故障"


def test_an_expired_agreements_reason_is_worded_when_read(cast):
    agreement = cast.agreement_ab
    with translation.override("zh-hans"):
        agreement_services.agreement_expire_due(
            today=agreement.end_date + datetime.timedelta(days=1)
        )
    event = AuditEvent.objects.get(action="agreement.expire")
    assert event.reason == "" and event.reason_code == "agreement.term_ended"
    with translation.override("en"):
        assert describe(event).reason == "The term ended."
    with translation.override("zh-hans"):
        assert describe(event).reason == "协议期限已满。"


def test_a_standard_milestone_stores_no_wording_and_reads_as_its_kind(cast):
    plan = plan_services.plan_start(actor=cast.trainee, cultivation=cast_cultivation(cast))
    start = cast_cultivation(cast).planned_start
    with translation.override("zh-hans"):
        milestone = plan_services.plan_milestone_add(
            actor=cast.trainee,
            version=plan.versions.get(),
            kind="proposal",
            title="",
            earliest=start + datetime.timedelta(days=30),
            latest=start + datetime.timedelta(days=90),
        )
    milestone.refresh_from_db()
    assert milestone.custom_title == ""
    with translation.override("en"):
        assert milestone.title == str(milestone) == "Research proposal"
        event = AuditEvent.objects.get(action="plan.milestone_add")
        [change] = [c for c in describe(event).changes if c.field == "Milestone"]
        assert change.new.startswith("Research proposal: ")
    with translation.override("zh-hans"):
        assert milestone.title == "开题报告"


def test_roles_and_credit_codes_in_a_history_read_as_labels():
    signed = generated(
        "person_in_role", {"person": "Li Wei", "role": choice("tutor_role", "theoretical")}
    )
    author = generated(
        "publication.author",
        {
            "position": 1,
            "name": "Zhang *",
            "institutions": "WMU; EMU",
            "roles": [
                choice("credit_role", "conceptualization"),
                choice("credit_role", "writing_original_draft"),
            ],
        },
    )
    with translation.override("en"):
        assert humanise(signed) == "Li Wei (Theoretical/teaching tutor)"
        assert "writing_original_draft" not in humanise(author)
        assert humanise(author).startswith("1. Zhang * [Conceptualization, ")
    with translation.override("zh-hans"):
        assert humanise(signed) == "Li Wei（理论/教学导师）"
        assert "conceptualization" not in humanise(author)


def test_violation_codes_in_a_publication_history_read_as_labels(cast):
    from tandem.publications.models import Publication

    event = AuditEvent(
        action="publication.update",
        changes={"violations": [[], ["corresponding_not_tutor"]]},
        target_type=ContentType.objects.get_for_model(Publication),
    )
    with translation.override("en"):
        [change] = describe(event).changes
    assert change.new == "corresponding author not a tutor the agreement allows"


def test_old_worded_reasons_and_ledger_entries_are_mapped_to_codes():
    assert core_migration.code_for("协议期限已满。") == ("agreement.term_ended", {})
    assert core_migration.code_for("Booking #12 cancelled.") == ("booking.cancelled", {"pk": 12})
    assert core_migration.code_for("Instrument broke") == ("", {})
    assert funds_migration._charge("预约 #7：Confocal，2026-05-01 09:00–11:00") == {
        "code": "booking.charge",
        "params": {
            "pk": 7,
            "resource": "Confocal",
            "day": "2026-05-01",
            "start": "09:00",
            "end": "11:00",
        },
    }
    assert funds_migration._charge("Flow cytometry, 8 hours") is None


def test_authors_recorded_with_credit_codes_in_their_text_read_as_labels(cast):
    from tandem.publications.models import Publication

    event = AuditEvent(
        action="publication.record",
        changes={
            "authors": [None, ["1. Zhang * [conceptualization, writing_original_draft] (WMU)"]]
        },
        target_type=ContentType.objects.get_for_model(Publication),
    )
    with translation.override("en"):
        [change] = describe(event).changes
    assert "writing_original_draft" not in change.new
    assert change.new.startswith("1. Zhang * [Conceptualization, ")


def test_known_tier_labels_read_in_the_readers_language_others_as_typed():
    from tandem.institutions.models import Institution

    institution = Institution(tier_labels=["Double First-Class", "三级甲等", "Provincial key"])
    with translation.override("zh-hans"):
        assert institution.tier_label_texts == ["双一流", "三级甲等", "Provincial key"]
    with translation.override("en"):
        assert institution.tier_label_texts == ["Double First-Class", "Grade 3A", "Provincial key"]


def test_an_institution_signed_for_is_named_in_the_readers_language(cast):
    from tandem.core.audit import audit_record

    with translation.override("zh-hans"):
        event = audit_record(
            actor=cast.coord_a,
            action="agreement.sign",
            target=cast.agreement_ab,
            changes={"signed_for": [None, cast.inst_a]},
        )
    with translation.override("en"):
        [change] = describe(event).changes
        assert change.new == cast.inst_a.name
    with translation.override("zh-hans"):
        [change] = describe(event).changes
        assert change.new == "西部医科大学"


def test_a_tutor_assigned_is_recorded_with_the_institution_in_both_languages(cast):
    from tandem.core.audit import audit_record

    value = generated("person_in_role", {"person": "Li Wei", "role": cast.inst_b})
    event = audit_record(
        actor=cast.coord_a,
        action="cultivation.tutor_assign",
        target=cast.agreement_ab,
        changes={"theoretical": [None, value]},
    )
    with translation.override("en"):
        assert describe(event).changes[0].new == f"Li Wei ({cast.inst_b.name})"
    with translation.override("zh-hans"):
        assert describe(event).changes[0].new == "Li Wei（东部医科大学）"
