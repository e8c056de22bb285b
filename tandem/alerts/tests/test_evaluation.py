"""The evaluation as a whole: set-based, idempotent, notifying the responsible people once."""

import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import User
from tandem.alerts import emails, services
from tandem.alerts.models import EarlyWarning, EmailMode, Notification, Rule
from tandem.alerts.tests.factories import active_cultivation, allocation, evaluate
from tandem.cultivation.tests.factories import joint_trainee

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
NOW = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)


def _trainees_with_problems(cast, count, offset=0):
    for index in range(count):
        trainee = joint_trainee(cast, f"bulk{offset + index}")
        cultivation = active_cultivation(cast, start=datetime.date(2026, 6, 1), trainee=trainee)
        allocation(cast, cultivation, amount="1000", spent="990", warn_below="100")


def _not_inserts(queries):
    return len([q for q in queries.captured_queries if not q["sql"].startswith("INSERT")])


def test_evaluation_query_count_does_not_grow_with_trainees(cast):
    with time_machine.travel(NOW, tick=False):
        _trainees_with_problems(cast, 2)
        with CaptureQueriesContext(connection) as small:
            first = evaluate()
        assert first.raised == 2 * 3  # no report, silent tutors, low funds
        EarlyWarning.objects.all().delete()
        _trainees_with_problems(cast, 12, offset=2)
        with CaptureQueriesContext(connection) as large:
            second = evaluate()
        assert second.raised == 14 * 3
        # Reads and updates are fixed; only bulk INSERTs split into batches (SQLite caps the
        # parameters of one statement), which stays a handful at consortium scale.
        assert _not_inserts(small) == _not_inserts(large)
        with CaptureQueriesContext(connection) as quiet:
            assert evaluate().raised == 0
        assert len(quiet) <= len(large)


def test_notifications_go_to_the_pair_and_both_coordinators_not_the_trainee(cast):
    with time_machine.travel(NOW, tick=False):
        active_cultivation(cast, start=datetime.date(2026, 8, 1))
        evaluate()
        warning = EarlyWarning.objects.get(rule=Rule.NO_REPORT)
        told = set(warning.notifications.values_list("user__username", flat=True))
        assert told == {"tutor_a", "tutor_b", "coord_a", "coord_b"}
        evaluate()
        assert warning.notifications.count() == 4


def test_evaluate_command_reports_counts(cast, capsys):
    with time_machine.travel(NOW, tick=False):
        active_cultivation(cast, start=datetime.date(2026, 8, 1))
        call_command("evaluate_warnings")
    out = capsys.readouterr().out
    assert "2 warnings raised" in out and "queries" in out


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_digest_is_sent_once_in_the_recipients_language(cast, immediate_tasks):
    User.objects.filter(pk=cast.tutor_b.pk).update(
        preferred_language="zh-hans", email="tess@example.org"
    )
    User.objects.filter(pk=cast.tutor_a.pk).update(preferred_language="en", email="tom@example.org")
    with time_machine.travel(NOW, tick=False):
        active_cultivation(cast, start=datetime.date(2026, 6, 1))
        evaluate()
    mail.outbox.clear()
    call_command("send_digests")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert "No progress report from Tina Trainee yet." in by_recipient["tom@example.org"].body
    assert "尚未提交进展报告" in by_recipient["tess@example.org"].body
    mail.outbox.clear()
    call_command("send_digests")
    assert mail.outbox == []


def test_urgent_warning_is_emailed_at_once_unless_the_person_turned_email_off(
    cast, immediate_tasks, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=cast.tutor_a.pk).update(email="tutor@example.org")
    User.objects.filter(pk=cast.tutor_b.pk).update(email="tess@example.org")
    services.preference_update(actor=cast.tutor_b, email_mode=EmailMode.OFF)
    with time_machine.travel(NOW, tick=False):
        cultivation = active_cultivation(cast, start=datetime.date(2026, 9, 25))
        allocation(cast, cultivation, amount="1000", spent="990", warn_below="100")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            evaluate()
    urgent = [m for m in mail.outbox if "tutor@example.org" in m.to]
    assert len(urgent) == 1  # tutor_a only; tutor_b chose no e-mail
    assert "F0001" in urgent[0].body
    assert Notification.objects.filter(user=cast.tutor_a, emailed_at__isnull=False).count() == 1


def test_digest_only_waits_for_the_digest_even_when_urgent(cast):
    User.objects.filter(pk=cast.tutor_a.pk).update(email="tom@example.org")
    services.preference_update(actor=cast.tutor_a, email_mode=EmailMode.DIGEST_ONLY)
    with time_machine.travel(NOW, tick=False):
        cultivation = active_cultivation(cast, start=datetime.date(2026, 9, 25))
        allocation(cast, cultivation, amount="1000", spent="990", warn_below="100")
        evaluate()
    assert emails.send_immediate(cast.tutor_a.pk) == 0
    assert emails.send_digest(cast.tutor_a.pk) == 1


def test_a_read_notification_is_not_emailed(cast):
    User.objects.filter(pk=cast.tutor_a.pk).update(email="tom@example.org")
    with time_machine.travel(NOW, tick=False):
        active_cultivation(cast, start=datetime.date(2026, 8, 1))
        evaluate()
    services.notifications_mark_all_read(actor=cast.tutor_a)
    assert emails.send_digest(cast.tutor_a.pk) == 0


def test_thresholds_update_names_the_bad_field_and_saves_nothing(cast):
    from django.core.exceptions import ValidationError

    from tandem.alerts.models import WarningThresholds

    with pytest.raises(ValidationError) as caught:
        services.thresholds_update(actor=cast.coord_a, institution=cast.inst_a, no_report_weeks=0)
    assert "no_report_weeks" in caught.value.message_dict
    assert not WarningThresholds.objects.exists()


def test_thresholds_update_is_audited(cast):
    from tandem.core.models import AuditEvent

    services.thresholds_update(actor=cast.coord_a, institution=cast.inst_a, absences_in_row=2)
    event = AuditEvent.objects.get(action="warning_thresholds.update")
    assert event.changes["absences_in_row"] == [3, 2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_evaluations_at_once_neither_duplicate_nor_notify_twice():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from tandem.core.tests.cast import build_cast

    cast = build_cast()
    _trainees_with_problems(cast, 5)
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(evaluate())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert EarlyWarning.objects.count() == 5 * 3
    assert sum(r.raised for r in results) == 5 * 3
    pairs = list(Notification.objects.values_list("user_id", "warning_id"))
    assert len(pairs) == len(set(pairs))
