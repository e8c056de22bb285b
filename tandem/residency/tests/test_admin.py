"""The residency back office: consortium admins only, audited, inlines audited on their parent,
and the records that change only through services are read-only."""

import json
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.residency.models import (
    BlockCalendar,
    Cohort,
    Department,
    ExchangeQuota,
    LeaveRequest,
    Program,
    PublishedSchedule,
    ScheduleProposal,
    SwapRequest,
)
from tandem.residency.tests.factories import build_world, publish

MODELS = [
    Department,
    BlockCalendar,
    Program,
    Cohort,
    ExchangeQuota,
    ScheduleProposal,
    PublishedSchedule,
    LeaveRequest,
    SwapRequest,
]


@pytest.fixture
def world(cast):
    return build_world(cast)


def _url(model, view="changelist", *args):
    return reverse(f"admin:residency_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_residency_model_is_registered_for_admins_only(world, client_for, model):
    assert admin.site.is_registered(model)
    assert client_for("admin").get(_url(model)).status_code == 200
    response = client_for("coord_a").get(_url(model))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_change_pages_open_with_their_inlines(world, client_for):
    publish(world)
    client = client_for("admin")
    for obj in (
        world.program,
        world.cohort,
        world.calendar,
        world.a1,
        ScheduleProposal.objects.first(),
        PublishedSchedule.objects.get(),
    ):
        assert client.get(_url(type(obj), "change", obj.pk)).status_code == 200


def test_calendar_blocks_are_numbered_from_1_and_calendars_are_made_on_the_pages(world, client_for):
    client = client_for("admin")
    body = client.get(_url(BlockCalendar, "change", world.calendar.pk)).content.decode()
    numbers = re.findall(r'<td class="field-number">\s*<p>(\d+)</p>', body)
    assert numbers == ["1", "2", "3", "4"]
    assert client.get(_url(BlockCalendar, "add")).status_code == 403


def test_saving_a_program_audits_its_inline_requirement_changes(world, client_for):
    req = world.program.requirements.get(departments__code="a2")
    requirements = list(world.program.requirements.order_by("id"))
    rules = json.dumps({"max_consecutive": [{"rotations": [f"D{world.a1.pk}"], "blocks": 2}]})
    data = {
        "institution": world.cast.inst_a.pk,
        "code": "im1",
        "name": "IM PGY1",
        "specialty": "internal_medicine",
        "training_year": 1,
        "rules": rules,
        "requirements-TOTAL_FORMS": len(requirements),
        "requirements-INITIAL_FORMS": len(requirements),
        "requirements-MIN_NUM_FORMS": 0,
        "requirements-MAX_NUM_FORMS": 1000,
    }
    for i, r in enumerate(requirements):
        data.update(
            {
                f"requirements-{i}-id": r.pk,
                f"requirements-{i}-program": world.program.pk,
                f"requirements-{i}-departments": [d.pk for d in r.departments.all()],
                f"requirements-{i}-min_blocks": 2 if r == req else r.min_blocks,
                f"requirements-{i}-max_blocks": r.max_blocks if r.max_blocks is not None else "",
                f"requirements-{i}-is_elective": "on" if r.is_elective else "",
            }
        )
    response = client_for("admin").post(_url(Program, "change", world.program.pk), data)
    assert response.status_code == 302, response.content[:2000]
    req.refresh_from_db()
    assert req.min_blocks == 2
    event = AuditEvent.objects.filter(action="admin.change_inline").get()
    assert event.target_id == str(world.program.pk)
    assert list(event.changes.values()) == [[1, 2]]


def test_admin_refuses_a_specialty_outside_the_list(world, client_for):
    response = client_for("admin").post(
        _url(Program, "change", world.program.pk),
        {
            "institution": world.cast.inst_a.pk,
            "code": "im1",
            "name": "IM PGY1",
            "specialty": "astrology",
            "training_year": 1,
            "rules": "{}",
            "requirements-TOTAL_FORMS": 0,
            "requirements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["specialty"]


def test_schedules_and_requests_are_read_only(world, client_for):
    publish(world)
    client = client_for("admin")
    schedule = PublishedSchedule.objects.get()
    assert client.get(_url(PublishedSchedule, "delete", schedule.pk)).status_code == 403
    assert client.get(_url(ScheduleProposal, "add")).status_code == 403
    response = client.post(
        _url(ScheduleProposal, "change", schedule.proposal_id), {"status": "failed"}
    )
    assert response.status_code == 403
    assert ScheduleProposal.objects.get(pk=schedule.proposal_id).status == "published"
