"""The boundary between the Django layer and the solver library (decision 078): a publish or a
leave/swap decision runs the checker once; partner rows are filtered by one selector for the
page, the API and the export alike; the API's proposal answers its schema."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tandem.residency import instancing, selectors, services_schedule
from tandem.residency.models import PublishedSchedule
from tandem.residency.scheduling import checker as check_module
from tandem.residency.schemas import ResidencyProposalDetailOut
from tandem.residency.tests.factories import build_world, make_proposal, publish

API = "/api/v1/residency"


@pytest.fixture
def world(cast):
    return build_world(cast)


@pytest.fixture
def checker_runs(monkeypatch):
    """How many times the library's checker went over every rule of a whole schedule."""
    runs = []
    real = check_module.rule_findings

    def counted(instance, rows):
        runs.append(instance.name)
        return real(instance, rows)

    monkeypatch.setattr(check_module, "rule_findings", counted)
    return runs


def test_a_publish_runs_the_checker_once(world, checker_runs):
    proposal = make_proposal(world, approved=True)
    checker_runs.clear()
    services_schedule.proposal_publish(actor=world.cast.coord_a, proposal=proposal)
    assert len(checker_runs) == 1
    assert PublishedSchedule.objects.filter(cohort=world.cohort).exists()


def test_a_leave_decision_runs_the_checker_once_and_stores_its_objective(world, checker_runs):
    schedule = publish(world)
    leave = services_schedule.leave_request(
        actor=world.cast.resident, member=world.member, block=3, reason="Exam"
    )
    checker_runs.clear()
    services_schedule.leave_decide(actor=world.cast.coord_a, request_obj=leave, approve=True)
    assert len(checker_runs) == 1
    schedule.refresh_from_db()
    assert schedule.solution["assignments"][world.member.key][3] is None
    assert 3 in instancing.stored_instance(schedule.instance).residents[0].leave
    rows = instancing.stored_rows(schedule.solution)
    again = instancing.checked(instancing.stored_instance(schedule.instance), rows)
    assert again.ok
    assert schedule.solution["objective"] == again.report.objective


def test_a_swap_decision_runs_the_checker_once(world, checker_runs):
    publish(world)
    swap = services_schedule.swap_request(
        actor=world.cast.resident, member=world.member, other=world.member2, block=3
    )
    services_schedule.swap_consent(actor=world.resident2, request_obj=swap, accept=True)
    swap.refresh_from_db()
    checker_runs.clear()
    services_schedule.swap_decide(actor=world.cast.coord_a, request_obj=swap, approve=True)
    assert len(checker_runs) == 1
    schedule = PublishedSchedule.objects.get(cohort=world.cohort)
    assert schedule.solution["assignments"][world.member2.key][3] == instancing.department_key(
        world.b1.pk
    )


def test_a_refused_leave_names_the_broken_rule_and_changes_nothing(world, checker_runs):
    schedule = publish(world)
    before = schedule.solution
    checker_runs.clear()
    # The program needs A2 at least once, and block 2 is the resident's only block there.
    with pytest.raises(ValidationError) as exc:
        services_schedule.leave_request(
            actor=world.cast.resident, member=world.member, block=2, reason="Exam"
        )
    assert len(checker_runs) == 1
    assert "A2 clinic" in str(exc.value)
    schedule.refresh_from_db()
    assert schedule.solution == before


# --------------------------------------------------------------------------- partner rows


def test_a_partner_coordinator_sees_only_their_residents_on_page_api_and_export(world, client_for):
    """`member` rotates to B1 at hospital B once; `member2` never leaves A."""
    publish(world)
    proposal = make_proposal(world, approved=False)
    partner, home = client_for("coord_b"), client_for("coord_a")
    mine, other = world.member.key, world.member2.key

    view = selectors.schedule_view_for(world.cast.coord_b, proposal)
    assert view.visible == {mine}
    assert set(view.visible_rows) == {mine}
    assert selectors.schedule_view_for(world.cast.coord_a, proposal).full_view

    page = partner.get(reverse("residency:proposal_detail", args=[proposal.pk]))
    assert page.status_code == 200
    shown = {row.key for row in page.context["grid"]["rows"]}
    assert shown == {mine}
    schedule_page = partner.get(reverse("residency:schedule_detail", args=[world.cohort.pk]))
    assert {row.key for row in schedule_page.context["grid"]["rows"]} == {mine}
    home_page = home.get(reverse("residency:schedule_detail", args=[world.cohort.pk]))
    assert {row.key for row in home_page.context["grid"]["rows"]} == {mine, other}

    body = partner.get(f"{API}/proposals/{proposal.pk}/").json()
    assert [row["key"] for row in body["rows"]] == [mine]
    assert body["instance"] is None and body["solution"] is None and body["pins"] is None
    full = home.get(f"{API}/proposals/{proposal.pk}/").json()
    assert {row["key"] for row in full["rows"]} == {mine, other}
    assert full["instance"] == proposal.instance

    sheet = load_workbook(
        io.BytesIO(partner.get(reverse("residency:schedule_xlsx", args=[world.cohort.pk])).content)
    ).worksheets[0]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == [str(world.member.resident)]
    download = reverse("residency:schedule_download", args=[world.cohort.pk, "solution"])
    assert partner.get(download).status_code == 404
    assert home.get(download).status_code == 200


def test_the_proposal_detail_answers_its_schema(world, client_for):
    proposal = make_proposal(world, approved=False)
    for who in ("coord_a", "coord_b"):
        body = client_for(who).get(f"{API}/proposals/{proposal.pk}/").json()
        assert set(body) == set(ResidencyProposalDetailOut.model_fields), who
        parsed = ResidencyProposalDetailOut.model_validate(body)
        assert parsed.id == proposal.pk
        assert [a.institution_id for a in parsed.approvals] == [world.cast.inst_b.pk]
        assert parsed.rows and all(row.member_id > 0 for row in parsed.rows)


def test_only_instancing_spells_out_the_instance_ids():
    """``D<pk>``/``R<pk>``/``P<pk>`` are written and read in ``instancing.py`` alone."""
    import re
    from pathlib import Path

    app = Path(instancing.__file__).resolve().parent
    spelled = re.compile(r"""f["'][DRP]\{|\[1:\]\)|key\[1:\]|cell\[1:\]""")
    offenders = [
        path.relative_to(app).as_posix()
        for path in app.rglob("*.py")
        if not {"tests", "scheduling"} & set(path.relative_to(app).parts)
        and path.name != "instancing.py"
        and spelled.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.parametrize("pk", [1, 12, 40321])
def test_ids_read_back_as_the_pks_they_were_written_from(pk):
    assert instancing.department_pk(instancing.department_key(pk)) == pk
    assert instancing.member_pk(instancing.member_key(pk)) == pk


@pytest.mark.parametrize("key", ["", "D", "R12", "X12", "D1a", "D-1", "D١٢", "d12"])
def test_anything_but_a_department_id_has_no_department(key):
    assert instancing.department_pk(key) is None
    assert instancing.department_pks([key, "D7"]) == [7]
