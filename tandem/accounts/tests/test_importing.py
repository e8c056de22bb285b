"""People import from real .xlsx and .csv files: all rows or nothing, errors by row and column."""

import io

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tandem.accounts import services
from tandem.accounts.importing import ImportRejected, template_workbook
from tandem.accounts.models import Membership, StudentNumber, TutorProfile, User
from tandem.core.models import AuditEvent

HEADER = [
    "full_name",
    "email",
    "role",
    "unit",
    "trainee_kind",
    "cohort",
    "student_number",
    "title",
    "qualification",
    "research_areas",
    "annual_quota",
]
GOOD_ROWS = [
    ["Li Wei", "li.wei@example.org", "trainee", "", "doctoral", 2025, 2025101, "", "", "", ""],
    [
        "Wang Fang",
        "wang.fang@example.org",
        "tutor",
        "Key Laboratory of Oncology",
        "",
        "",
        "",
        "Professor",
        "doctoral",
        "Tumour immunology",
        4,
    ],
    ["Zhao Min", "zhao.min@example.org", "teacher", "", "", "", "", "", "", "", ""],
]


def xlsx(rows, header=HEADER, name="people.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(text, encoding="utf-8", name="people.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def _import(cast, file, actor=None):
    return services.people_import(actor=actor or cast.coord_a, institution=cast.inst_a, file=file)


@pytest.mark.django_db
def test_good_xlsx_creates_people_roles_profiles_and_invitations(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        summary = _import(cast, xlsx(GOOD_ROWS))
    assert summary.total == 3 and len(summary.invited) == 3
    li = User.objects.get(email="li.wei@example.org")
    assert li.trainee_profile.kind == "doctoral" and li.trainee_profile.cohort == 2025
    assert StudentNumber.objects.get(trainee__user=li, institution=cast.inst_a).number == "2025101"
    wang = TutorProfile.objects.get(user__email="wang.fang@example.org")
    assert (wang.qualification, wang.annual_quota, wang.title) == ("doctoral", 4, "Professor")
    assert Membership.objects.get(user=wang.user).unit == cast.lab_a
    assert len(mail.outbox) == 3
    assert AuditEvent.objects.filter(action="people.import").count() == 1


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_imports_nothing_and_names_row_and_column(
    cast, django_capture_on_commit_callbacks
):
    rows = [
        *GOOD_ROWS,
        ["Bad Person", "not-an-email", "trainee", "", "doctoral", "soon", "", "", "", "", ""],
    ]
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ImportRejected) as exc:
        _import(cast, xlsx(rows))
    found = {(e.row, e.column) for e in exc.value.row_errors}
    assert found == {(5, "email"), (5, "cohort")}
    assert not User.objects.filter(email__in=["li.wei@example.org", "zhao.min@example.org"])
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action__in=["people.import", "person.invite"]).exists()


@pytest.mark.django_db
def test_every_kind_of_row_error_is_reported(cast):
    rows = [
        ["", "a@example.org", "trainee", "", "", "", "", "", "", "", ""],
        ["Dup", "a@example.org", "wizard", "No such lab", "", "", "", "", "", "", ""],
        ["Num", "b@example.org", "trainee", "", "doctoral", 2025, "A2025001", "", "", "", ""],
        ["Q", "c@example.org", "tutor", "", "", "", "", "", "emperor", "", 99],
        ["Old", cast.tutor_a.email, "tutor", "", "", "", "", "", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        _import(cast, xlsx(rows))
    found = {(e.row, e.column) for e in exc.value.row_errors}
    assert found >= {
        (2, "full_name"),
        (2, "trainee_kind"),
        (2, "cohort"),
        (3, "email"),
        (3, "role"),
        (3, "unit"),
        (4, "student_number"),
        (5, "qualification"),
        (5, "annual_quota"),
        (6, "role"),
    }


@pytest.mark.django_db
def test_missing_required_column_is_reported_on_the_header_row(cast):
    with pytest.raises(ImportRejected) as exc:
        _import(cast, csv_file("full_name,role\nLi,trainee\n"))
    assert [(e.row, e.column) for e in exc.value.row_errors] == [(1, "email")]


@pytest.mark.django_db
def test_gbk_csv_with_chinese_headers_and_values_is_read(cast):
    text = (
        "姓名,邮箱,角色,学员类型,年级,学号\n"
        "张伟,zhang.wei@example.org,学员,博士,2024,W2024001\n"
        "李娜,li.na@example.org,导师,,,\n"
    )
    summary = _import(cast, csv_file(text, encoding="gbk"))
    assert summary.total == 2
    zhang = User.objects.get(email="zhang.wei@example.org")
    assert zhang.full_name == "张伟"
    assert zhang.trainee_profile.kind == "doctoral"
    assert Membership.objects.get(user__email="li.na@example.org").role == "tutor"


@pytest.mark.django_db
def test_utf8_csv_with_bom_is_read(cast):
    text = "\ufeffemail,full_name,role\nbom@example.org,Bo M,teacher\n"
    assert _import(cast, csv_file(text)).total == 1


@pytest.mark.django_db
def test_chinese_error_headers_are_reported_as_written(cast):
    text = "姓名,邮箱,角色\n张伟,bad,学员\n"
    with pytest.raises(ImportRejected) as exc:
        _import(cast, csv_file(text))
    columns = {e.column for e in exc.value.row_errors}
    assert "邮箱" in columns and "学员类型" in columns


@pytest.mark.django_db
def test_existing_email_gets_the_role_without_a_new_account(cast):
    text = f"full_name,email,role\nTom,{cast.tutor_b.email},teacher\n"
    summary = _import(cast, csv_file(text))
    assert summary.roles_added == [cast.tutor_b.email] and summary.invited == []
    assert cast.tutor_b.memberships.filter(institution=cast.inst_a, role="teacher").exists()


@pytest.mark.django_db
def test_other_file_types_are_refused(cast):
    with pytest.raises(ImportRejected):
        _import(cast, SimpleUploadedFile("people.pdf", b"%PDF-1.4"))


@pytest.mark.django_db
def test_partner_coordinator_cannot_import_at_a(cast):
    with pytest.raises(PermissionDenied):
        _import(cast, xlsx(GOOD_ROWS), actor=cast.coord_b)


def test_template_has_headers_in_the_users_language():
    with translation.override("zh-hans"):
        data = template_workbook()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]][:3] == ["姓名", "邮箱", "角色"]
    with translation.override("en"):
        sheet = openpyxl.load_workbook(io.BytesIO(template_workbook())).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
