"""Reminders of evaluations due soon and overdue, and the coordinators' round summary, with the
clock frozen on each day the daily command runs."""

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import translation

from tandem.accounts.models import User
from tandem.alerts import services as alert_services
from tandem.alerts.models import EmailMode, Notification
from tandem.alerts.texts import notification_text
from tandem.core.tests.cast import build_cast
from tandem.evaluations import services, services_respond
from tandem.evaluations.models import EvaluationPair
from tandem.evaluations.reminders import evaluations_remind
from tandem.evaluations.tests.factories import full_answers, make_template, open_round, population

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENS = datetime.date(2026, 12, 1)
DUE = datetime.date(2026, 12, 20)


def day(offset: int, base: datetime.date = DUE) -> datetime.date:
    return base + datetime.timedelta(days=offset)


def run_on(date: datetime.date):
    moment = datetime.datetime.combine(date, datetime.time(9), SHANGHAI)
    with time_machine.travel(moment, tick=False):
        return evaluations_remind()


def reminders(user, kind=None):
    qs = Notification.objects.filter(user=user, kind__startswith="eval")
    return qs.filter(kind=kind) if kind else qs


@pytest.fixture
def self_round(cast):
    """A named self-evaluation: one pair, the cast's trainee evaluates themselves."""
    population(cast)
    template = make_template(cast, "self", anonymous=False)
    round_ = open_round(cast, [template], opens_on=OPENS, due_on=DUE)
    return round_, EvaluationPair.objects.get(round=round_)


def test_no_reminder_until_the_days_before_the_due_date(cast, self_round, settings):
    settings.EVALUATIONS_REMINDER_DAYS = 3
    _round, pair = self_round
    assert run_on(day(-4)).due == 0
    assert not reminders(cast.trainee).exists()
    assert run_on(day(-3)).due == 1
    [note] = reminders(cast.trainee)
    assert note.kind == "evaluation_due" and note.url == f"/evaluations/{pair.pk}/"
    assert notification_text(note) == "Your evaluation in “Autumn term 2026” is due on 2026-12-20."
    for offset in (-2, -1, 0):
        assert run_on(day(offset)).due == 0
    assert reminders(cast.trainee).count() == 1


def test_the_reminder_days_are_a_setting(cast, self_round, settings):
    settings.EVALUATIONS_REMINDER_DAYS = 7
    run_on(day(-7))
    assert reminders(cast.trainee, "evaluation_due").count() == 1


def test_a_pair_first_seen_on_its_due_day_is_reminded_that_day(cast, self_round):
    run_on(day(0))
    assert reminders(cast.trainee, "evaluation_due").count() == 1
    assert not reminders(cast.trainee, "evaluation_overdue").exists()


def test_overdue_once_then_weekly_at_most(cast, self_round):
    run_on(day(-3))
    assert run_on(day(1)).overdue == 1
    for offset in range(2, 8):
        assert run_on(day(offset)).overdue == 0, offset
    assert run_on(day(8)).overdue == 1  # a week after the first overdue reminder
    assert run_on(day(8)).overdue == 0
    assert run_on(day(14)).overdue == 0
    # Not run for three weeks: one reminder when it runs again, not one per missed week.
    assert run_on(day(30)).overdue == 1
    overdue = reminders(cast.trainee, "evaluation_overdue")
    assert overdue.count() == 3
    assert "was due on 2026-12-20 and is overdue" in notification_text(overdue.first())


def test_an_extended_due_date_moves_the_reminders(cast, self_round):
    _round, pair = self_round
    run_on(day(-3))
    new_due = day(14)
    services.pair_extend(actor=cast.coord_a, pair=pair, due_on=new_due, reason="On leave")
    assert run_on(day(1)).overdue == 0  # the old due date has passed, the new one has not
    assert run_on(day(-4, new_due)).due == 0
    assert run_on(day(-3, new_due)).due == 1
    latest = reminders(cast.trainee, "evaluation_due").order_by("-created_at", "-id").first()
    assert latest.params["due"] == new_due.isoformat()
    assert run_on(day(1, new_due)).overdue == 1


def test_no_reminder_for_a_withdrawn_pair(cast, self_round):
    _round, pair = self_round
    services.pair_withdraw(actor=cast.coord_a, pair=pair, reason="Left the programme")
    for offset in (-3, 0, 1, 8, 15):
        run_on(day(offset))
    assert not reminders(cast.trainee).exists()
    assert not reminders(cast.coord_a).exists()  # nothing outstanding in the round


def test_no_reminder_for_a_submitted_pair(cast, self_round):
    _round, pair = self_round
    with time_machine.travel(datetime.datetime.combine(day(-5), datetime.time(9), SHANGHAI)):
        services_respond.response_submit(
            actor=cast.trainee, pair=pair, answers=full_answers(pair.template)
        )
    for offset in (-3, 0, 1, 8):
        run_on(day(offset))
    assert not reminders(cast.trainee).exists()
    assert not reminders(cast.coord_a).exists()


def test_no_reminder_before_the_round_opens(cast):
    population(cast)
    template = make_template(cast, "self", anonymous=False)
    open_round(cast, [template], opens_on=day(-1), due_on=DUE)
    assert run_on(day(-3)).due == 0 and run_on(day(-2)).due == 0
    assert run_on(day(-1)).due == 1  # open now, and due within the reminder days


def test_running_twice_sends_nothing_more(cast, self_round):
    first = run_on(day(-3))
    again = run_on(day(-3))
    assert (first.due, again.due) == (1, 0)
    assert reminders(cast.trainee).count() == 1


def test_the_database_refuses_a_second_notification_with_the_same_key(cast):
    entry = (cast.trainee.pk, "evaluations:pair:1:due:2026-12-20", {"round": "R"}, "/")
    assert alert_services.notifications_send_once(kind="evaluation_due", entries=[entry]) == 1
    assert alert_services.notifications_send_once(kind="evaluation_due", entries=[entry]) == 0
    # Even past the look-up (as a concurrent run would be): the insert is ignored, not doubled.
    Notification.objects.bulk_create(
        [Notification(user=cast.trainee, kind="evaluation_due", once_key=entry[1])],
        ignore_conflicts=True,
    )
    assert Notification.objects.filter(once_key=entry[1]).count() == 1


def test_coordinators_get_one_summary_when_the_round_is_past_due(cast, self_round):
    round_, _pair = self_round
    assert run_on(day(0)).rounds == 0  # due today: not past yet
    assert run_on(day(1)).rounds == 1
    for offset in (2, 9, 16):
        assert run_on(day(offset)).rounds == 0
    [summary] = reminders(cast.coord_a)
    assert summary.kind == "eval_round_overdue"
    assert summary.url == f"/evaluations/rounds/{round_.pk}/"
    assert notification_text(summary) == (
        "The evaluation round “Autumn term 2026” was due on 2026-12-20; "
        "1 evaluation is outstanding."
    )
    assert not reminders(cast.coord_b).exists()  # B does not run the round
    assert not reminders(cast.tutor_a).exists()


def test_reminders_name_round_and_date_in_the_readers_language_and_no_answers(cast):
    population(cast)
    template = make_template(cast, "trainee_tutor", anonymous=True)
    round_ = open_round(cast, [template], opens_on=OPENS, due_on=DUE)
    pair = EvaluationPair.objects.filter(round=round_).order_by("id").first()
    services_respond.response_save_draft(
        actor=cast.trainee, pair=pair, answers={"note": "secret words"}
    )
    run_on(day(-3))
    notes = list(reminders(cast.trainee))
    assert len(notes) == 2  # one per tutor to evaluate
    for note in notes:
        assert "secret" not in str(note.params)
        with translation.override("zh-hans"):
            text = notification_text(note)
        assert "2026年秋季学期" in text and "2026-12-20" in text and "截止" in text


def test_reminders_are_emailed_by_preference(
    cast, self_round, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    User.objects.filter(pk=cast.trainee.pk).update(email="tina@example.org")
    alert_services.preference_update(actor=cast.trainee, email_mode=EmailMode.IMMEDIATE)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_on(day(-3))
    [message] = [m for m in mail.outbox if "tina@example.org" in m.to]
    assert "Autumn term 2026" in message.body
    # The default mode waits for the daily digest.
    alert_services.preference_update(actor=cast.trainee, email_mode=EmailMode.DIGEST)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_on(day(1))
    assert not mail.outbox
    call_command("send_digests", stdout=io.StringIO())
    [digest] = [m for m in mail.outbox if "tina@example.org" in m.to]
    assert "is overdue" in digest.body


def test_the_command_reports_what_it_sent(cast, self_round, capsys):
    with time_machine.travel(datetime.datetime.combine(day(1), datetime.time(9), SHANGHAI)):
        call_command("remind_evaluations")
    assert "0 evaluations due soon, 1 overdue; 1 round summaries" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_remind_once():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency tests need PostgreSQL (set DATABASE_URL)")
    cast = build_cast()
    population(cast, extra_trainees=2)
    template = make_template(cast, "trainee_tutor", anonymous=True)
    open_round(cast, [template], opens_on=OPENS, due_on=DUE)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def remind():
        try:
            barrier.wait()
            evaluations_remind(today=day(1))
        except BaseException as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=remind) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    pairs = EvaluationPair.objects.count()
    assert Notification.objects.filter(kind="evaluation_overdue").count() == pairs
    assert Notification.objects.filter(kind="eval_round_overdue", user=cast.coord_a).count() == 1
