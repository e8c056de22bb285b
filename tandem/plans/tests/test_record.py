"""The portable joint record: JSON round trip, import validation, command, PDFs."""

import json
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.models import Membership, Role, User
from tandem.core.models import AuditEvent
from tandem.core.tests.cast import build_cast
from tandem.cultivation.models import (
    Decision,
    JointCultivation,
    ResponsibilityShare,
    ResponsibilitySignature,
)
from tandem.cultivation.tests.factories import TutorAssignmentFactory
from tandem.institutions.models import Institution
from tandem.plans import services, services_milestone
from tandem.plans.record import joint_record_build
from tandem.plans.record_import import joint_record_import
from tandem.plans.tests.factories import evidence_file, health_revision, signed_plan
from tandem.plans.views_record import record_context


def _rich_record(cast) -> JointCultivation:
    """A record with every part filled: decisions, tutor history, responsibilities, a signed
    plan with an ordinary and a health revision, milestones reviewed with evidence."""
    plan = signed_plan(cast)
    cultivation = plan.cultivation
    Decision.objects.create(
        cultivation=cultivation,
        kind="approve",
        institution=cast.inst_a,
        decided_by=cast.coord_a,
        to_status="approved",
        reason="Fine",
    )
    Decision.objects.create(
        cultivation=cultivation,
        kind="approve",
        institution=cast.inst_b,
        decided_by=cast.coord_b,
        to_status="approved",
    )
    TutorAssignmentFactory(
        cultivation=cultivation,
        tutor=cast.coord_b,
        role="theoretical",
        institution=cast.inst_b,
        started_at=timezone.now() - timezone.timedelta(days=400),
        ended_at=timezone.now() - timezone.timedelta(days=300),
        end_reason="Retired",
    )
    ResponsibilityShare.objects.create(
        cultivation=cultivation, key="thesis_guidance", role="theoretical", position=0
    )
    ResponsibilityShare.objects.create(
        cultivation=cultivation, title="Weekly lab meeting", role="experimental", position=1
    )
    ResponsibilitySignature.objects.create(
        cultivation=cultivation, assignment=cultivation.tutor_assignments.get(tutor=cast.tutor_a)
    )
    milestone = plan.milestones.get(kind="proposal")
    services_milestone.milestone_submit(
        actor=cast.trainee, milestone=milestone, files=[evidence_file()]
    )
    services_milestone.milestone_review(
        actor=cast.tutor_a,
        milestone=milestone,
        outcome="needs_revision",
        comments="More pilot data",
        examiners="Prof. A; Prof. B",
    )
    version = services.plan_revise(actor=cast.trainee, plan=plan, reason="New lab")
    services.plan_version_sign(actor=cast.tutor_a, version=version)
    services.plan_version_sign(actor=cast.tutor_b, version=version)
    health_revision(cast, "Pregnancy leave")
    return cultivation


@pytest.mark.django_db(transaction=True)
def test_export_import_into_an_empty_database_export_again_is_identical():
    cast = build_cast()
    first = joint_record_build(_rich_record(cast), reveal_confidential=True)
    assert first["responsibilities"] and first["decisions"]
    assert first["plan"]["versions"][2]["confidential_note"]["text"] == "Pregnancy leave"

    call_command("flush", interactive=False, verbosity=0)
    assert not Institution.objects.exists() and not User.objects.exists()
    admin = User.objects.create(username="importer")
    Membership.objects.create(user=admin, role=Role.CONSORTIUM_ADMIN)

    imported = joint_record_import(actor=admin, data=json.loads(json.dumps(first)))
    second = joint_record_build(imported, reveal_confidential=True)
    assert second == first
    assert json.dumps(second, sort_keys=True) == json.dumps(first, sort_keys=True)
    assert AuditEvent.objects.filter(action="joint_record.import").count() == 1
    # The imported people can use the record: the trainee sees their own plan.
    trainee = User.objects.get(username="trainee")
    assert trainee.memberships.filter(role=Role.TRAINEE).exists()


def _exported_and_removed(cast) -> dict:
    cultivation = signed_plan(cast).cultivation
    data = joint_record_build(cultivation, reveal_confidential=True)
    cultivation.delete()
    return data


def test_import_errors_name_the_json_path_and_nothing_is_saved(cast):
    data = _exported_and_removed(cast)
    data["plan"]["versions"][0]["courses"][0]["credits"] = "lots"
    data["stays"][0]["end"] = "2020-01-01"
    data["people"].append({"username": "newbie", "email": "newbie@example.org", "full_name": "New"})
    data["cultivation"]["trainee"] = "nobody"
    with pytest.raises(ValidationError) as exc:
        joint_record_import(actor=cast.admin, data=data)
    errors = exc.value.message_dict
    assert "plan.versions[0].courses[0].credits" in errors
    assert "stays[0].end" in errors
    assert "cultivation.trainee" in errors
    assert not User.objects.filter(username="newbie").exists()
    assert not JointCultivation.objects.exists()


def test_the_same_record_cannot_be_imported_twice(cast):
    data = _exported_and_removed(cast)
    joint_record_import(actor=cast.admin, data=data)
    with pytest.raises(ValidationError) as exc:
        joint_record_import(actor=cast.admin, data=data)
    assert "id" in exc.value.message_dict


def test_only_consortium_admins_import(cast):
    data = _exported_and_removed(cast)
    with pytest.raises(PermissionDenied):
        joint_record_import(actor=cast.coord_a, data=data)
    assert not JointCultivation.objects.exists()


def test_import_page_reports_bad_paths(cast, client_for, tmp_path):
    data = _exported_and_removed(cast)
    data["format"] = "something-else/9"
    response = client_for("admin").post(
        reverse("plans:record_import"),
        {"file": SimpleUploadedFile("r.json", json.dumps(data).encode())},
    )
    assert response.status_code == 400
    assert "format: Expected tandem-joint-record/1." in response.content.decode()


def test_management_command_imports_a_file(cast, tmp_path):
    data = _exported_and_removed(cast)
    path = tmp_path / "record.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_joint_record", str(path), "--as", "coord_a")
    call_command("import_joint_record", str(path), "--as", "admin")
    assert JointCultivation.objects.get().external_id == data["id"]


def _pdf_text(pdf: bytes, tmp_path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    source = tmp_path / "r.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(source), "-"], capture_output=True, check=True, text=True
    ).stdout


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "Joint record of"), ("zh-hans", "联合培养档案")]
)
def test_pdf_in_both_languages(cast, client_for, tmp_path, lang, expected):
    plan = signed_plan(cast)
    response = client_for("coord_a").get(
        reverse("plans:record_pdf", args=[plan.cultivation_id]), {"lang": lang}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    text = _pdf_text(pdf, tmp_path)
    if text is not None:
        assert expected in text
        assert "Tina Trainee" in text


def test_pdf_never_carries_the_confidential_note_to_others(cast, client_for, tmp_path):
    revision = health_revision(cast, "Chemotherapy schedule")
    response = client_for("admin").get(
        reverse("plans:record_pdf", args=[revision.plan.cultivation_id])
    )
    text = _pdf_text(response.content, tmp_path)
    if text is not None:
        assert "Chemotherapy" not in text


@pytest.mark.parametrize(
    ("lang", "item", "role"),
    [
        ("en", "Thesis guidance", "Theoretical/teaching tutor"),
        ("zh-hans", "论文指导", "理论/教学导师"),
    ],
)
def test_record_page_and_pdf_word_the_division_of_responsibilities(
    cast, client_for, lang, item, role
):
    cultivation = _rich_record(cast)
    client = client_for("coord_a")
    client.cookies["django_language"] = lang
    response = client.get(reverse("plans:record", args=[cultivation.pk]))
    with translation.override(lang):
        pdf_html = render_to_string(
            "plans/record_pdf.html", record_context(cast.coord_a, cultivation)
        )
    for html in (response.content.decode(), pdf_html):
        section = html.split('id="rec-resp-h"')[1].split("</section>")[0]
        assert item in section and role in section and "Weekly lab meeting" in section
        assert "thesis_guidance" not in section and "theoretical" not in section
        assert " · " not in section
