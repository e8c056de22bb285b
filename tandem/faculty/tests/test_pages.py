"""The teachers' pages: who sees what (outsider 404, wrong role 403), bad input named and
nothing saved, the workload at a fixed number of queries at two sizes, evaluation results only
from the threshold on, and the Excel export read back."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.assessments.models import Wba, WbaForm, WbaStatus
from tandem.evaluations.models import (
    EvaluationAnswer,
    EvaluationResponse,
    EvaluationRound,
    TemplateItem,
)
from tandem.evaluations.tests.factories import make_template
from tandem.faculty import workload
from tandem.faculty.models import ResponsibleTeacher, TeacherProfile, TrainingRecord
from tandem.faculty.tests.factories import make_teacher, qualified_profile
from tandem.teaching.models import Activity

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_outsider_and_b_get_404_on_a_profile_and_the_base(fw, client_for):
    for actor in ("outsider", "coord_b", "resident"):
        client = client_for(actor)
        assert (
            client.get(reverse("faculty:profile_detail", args=[fw.profile_a.pk])).status_code == 404
        )
        assert (
            client.get(reverse("faculty:base_detail", args=[fw.world.base_a.pk])).status_code == 404
        )


def test_teacher_sees_own_profile_but_cannot_edit_it(fw, client_for):
    client = client_for("tutor_a")
    page = client.get(reverse("faculty:profile_detail", args=[fw.profile_a.pk]))
    assert page.status_code == 200
    assert page.context["reasons"] == []
    assert client.get(reverse("faculty:profile_edit", args=[fw.profile_a.pk])).status_code == 403
    assert client.get(reverse("faculty:base_detail", args=[fw.world.base_a.pk])).status_code == 404


def test_base_page_names_the_unqualified_teacher_with_the_reason(fw, client_for):
    page = client_for("coord_a").get(reverse("faculty:base_detail", args=[fw.world.base_a.pk]))
    reasons = {row["profile"].pk: row["reasons"] for row in page.context["rows"]}
    assert reasons[fw.profile_a.pk] == []
    expired = fw.expired.certificate_expires_on.isoformat()
    assert reasons[fw.expired.pk] == [f"The teacher-training certificate expired on {expired}."]


def test_assigning_an_expired_teacher_on_the_page_says_why_and_saves_nothing(fw, client_for):
    world = fw.world
    response = client_for("coord_a").post(
        reverse("faculty:assign", args=[world.base_a.pk]),
        {"member": world.member.pk, "department": world.a1.pk, "teacher": fw.expired_teacher.pk},
        follow=True,
    )
    expired = fw.expired.certificate_expires_on.isoformat()
    assert f"The teacher-training certificate expired on {expired}." in _messages(response)
    assert not ResponsibleTeacher.objects.exists()


def test_training_with_bad_hours_is_named_and_not_saved(fw, client_for):
    response = client_for("tutor_a").post(
        reverse("faculty:training_add", args=[fw.profile_a.pk]),
        {"course": "Workshop", "hours": "0", "level": "hospital", "date": "2026-01-05"},
        follow=True,
    )
    assert any("0.1" in m for m in _messages(response))
    assert not TrainingRecord.objects.exists()


def test_profile_edit_saves_and_refuses_expiry_before_issue(fw, client_for):
    client = client_for("coord_a")
    url = reverse("faculty:profile_edit", args=[fw.profile_a.pk])
    data = {
        "title": "chief",
        "attending_since": "2015-01-01",
        "certificate_number": "TT-9",
        "certificate_issued_on": "2026-01-10",
        "certificate_expires_on": "2026-01-01",
        "tier": "key",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The certificate cannot expire before it is issued." in _messages(response)
    fw.profile_a.refresh_from_db()
    assert fw.profile_a.title == "attending"
    data["certificate_expires_on"] = "2030-01-01"
    assert client.post(url, data).status_code == 302
    fw.profile_a.refresh_from_db()
    assert (fw.profile_a.title, fw.profile_a.certificate_number) == ("chief", "TT-9")


def test_plan_flow_teacher_writes_coordinator_reviews(fw, client_for):
    teacher, coordinator = client_for("tutor_a"), client_for("coord_a")
    plan, goal = fw.plan, fw.plan.goals.get()
    response = coordinator.post(
        reverse("faculty:plan_review", args=[plan.pk]),
        {"note": "Well set.", f"status-{goal.pk}": "achieved", f"note-{goal.pk}": "Done"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    goal.refresh_from_db()
    assert (plan.status, goal.status, goal.review_note) == ("reviewed", "achieved", "Done")
    # Reviewed: the teacher no longer changes the goals.
    denied = teacher.post(reverse("faculty:goal_add", args=[plan.pk]), {"text": "More"})
    assert denied.status_code == 403


def _grow(fw, teachers: int, per_teacher: int) -> None:
    world, cast = fw.world, fw.world.cast
    now = timezone.now()
    form = WbaForm.objects.first() or WbaForm.objects.create(kind="mini_cex", name="Mini-CEX")
    for index in range(teachers):
        teacher = make_teacher(cast, f"grown{Activity.objects.count()}_{index}")
        world.a2.teachers.add(teacher)
        qualified_profile(cast.coord_a, world.base_a, teacher)
        for n in range(per_teacher):
            start = now - datetime.timedelta(days=n + 1)
            Activity.objects.create(
                department=world.a2,
                kind=fw.tw.lecture,
                teacher=teacher,
                topic=f"Lecture {n}",
                place="Room",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                created_by=cast.coord_a,
            )
            ResponsibleTeacher.objects.create(
                member=world.member2,
                resident=world.resident2,
                department=world.a2,
                stint_start=now.date(),
                teacher=teacher,
                starts_on=now.date(),
                ends_on=now.date(),
                created_by=cast.coord_a,
            )
        Wba.objects.create(
            resident=cast.resident,
            member=world.member,
            department=world.a2,
            form=form,
            teacher=teacher,
            date=now.date(),
            case="Case",
            status=WbaStatus.CONFIRMED,
            confirmed_by="account",
            confirmed_at=now,
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["faculty:base_detail", "faculty:workload_xlsx"])
def test_workload_pages_issue_a_fixed_number_of_queries(fw, client_for, name):
    client = client_for("coord_a")
    url = reverse(name, args=[fw.world.base_a.pk])
    client.get(url)
    _grow(fw, 2, 2)
    small = _queries(client, url)
    _grow(fw, 12, 6)
    large = _queries(client, url)
    assert small == large


def test_workload_counts_and_the_export_reads_back(fw, client_for):
    year = timezone.localdate().year
    _grow(fw, 1, 3)
    profile = TeacherProfile.objects.filter(teacher__username__startswith="grown").get()
    load = workload.workload_of(
        [profile.teacher_id], fw.world.base_a.pk, workload.year_period(year)
    )[profile.teacher_id]
    in_year = Activity.objects.filter(teacher=profile.teacher, starts_at__year=year).count()
    assert (load.activities, load.residents) == (in_year, 1)
    response = client_for("coord_a").get(
        reverse("faculty:workload_xlsx", args=[fw.world.base_a.pk]) + f"?year={year}"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Teacher", "Professional title")
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) >= {"Tom Tutor", "Expired T", profile.teacher.full_name}
    assert by_name[profile.teacher.full_name][4:6] == (in_year, 1)


def _evaluate(fw, teacher, responses: int, rating: int) -> None:
    cast = fw.world.cast
    template = make_template(cast)
    item = TemplateItem.objects.filter(template=template, kind="rating").first()
    round_ = EvaluationRound.objects.create(
        title="Teachers 2026",
        institution=cast.inst_a,
        population="institution",
        opens_on=timezone.localdate(),
        due_on=timezone.localdate(),
        released_at=timezone.now(),
        created_by=cast.coord_a,
    )
    for _n in range(responses):
        response = EvaluationResponse.objects.create(
            round=round_, template=template, target_user=teacher, is_anonymous=True
        )
        EvaluationAnswer.objects.create(response=response, item=item, number=rating)


def test_evaluations_count_only_from_the_threshold_on(fw, settings):
    settings.EVALUATIONS_MIN_RESPONSES = 3
    tutor = fw.world.cast.tutor_a
    period = workload.year_period()
    _evaluate(fw, tutor, 2, 1)  # below the threshold: left out entirely
    load = workload.workload_of([tutor.pk], fw.world.base_a.pk, period)[tutor.pk]
    assert (load.evaluation_responses, load.evaluation_mean) == (0, None)
    _evaluate(fw, tutor, 3, 4)
    load = workload.workload_of([tutor.pk], fw.world.base_a.pk, period)[tutor.pk]
    assert (load.evaluation_responses, load.evaluation_mean) == (3, 4.0)
