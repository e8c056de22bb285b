"""People pages: scoping (404), roles (403), forms, import upload, query counts."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import Membership, TutorProfile, User
from tandem.accounts.tests.factories import MembershipFactory, UserFactory


@pytest.mark.django_db
def test_people_list_shows_visible_people_and_their_roles(client_for):
    body = client_for("coord_a").get(reverse("accounts:people")).content.decode()
    assert "Tina Trainee" in body and "Tess Tutor" in body
    assert "Charlie Outsider" not in body


@pytest.mark.django_db
def test_people_list_filters_by_role_and_search(cast, client_for):
    client = client_for("coord_a")
    body = client.get(reverse("accounts:people"), {"role": "tutor"}).content.decode()
    assert "Tom Tutor" in body and "Tina Trainee" not in body
    body = client.get(reverse("accounts:people"), {"q": "tina"}).content.decode()
    assert "Tina Trainee" in body and "Tom Tutor" not in body


@pytest.mark.django_db
def test_people_list_htmx_returns_only_the_rows(client_for):
    response = client_for("coord_a").get(reverse("accounts:people"), HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode()
    assert "Tina Trainee" in response.content.decode()


@pytest.mark.django_db
def test_people_list_query_count_does_not_grow_with_rows(cast, client_for):
    client = client_for("coord_a")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accounts:people")).status_code == 200
        return len(ctx.captured_queries)

    for _n in range(3):
        MembershipFactory(user=UserFactory(), institution=cast.inst_a, role="teacher")
    small = count()
    for _n in range(27):
        person = UserFactory()
        MembershipFactory(user=person, institution=cast.inst_a, role="teacher")
        MembershipFactory(user=person, institution=cast.inst_b, role="evaluator")
    assert count() == small


@pytest.mark.django_db
def test_outsider_gets_404_on_a_person_of_a(cast, client_for):
    client = client_for("outsider")
    assert client.get(reverse("accounts:person_detail", args=[cast.trainee.pk])).status_code == 404
    url = reverse("accounts:trainee_profile_edit", args=[cast.trainee.pk])
    assert client.post(url, {"kind": "doctoral", "cohort": 2020}).status_code == 404
    assert cast.trainee.trainee_profile.cohort == 2025


@pytest.mark.django_db
def test_outsider_cannot_guess_a_missing_person(client_for):
    assert (
        client_for("outsider").get(reverse("accounts:person_detail", args=[99999])).status_code
        == 404
    )


@pytest.mark.django_db
def test_partner_coordinator_sees_but_cannot_edit(cast, client_for):
    client = client_for("coord_b")
    detail = client.get(reverse("accounts:person_detail", args=[cast.trainee.pk]))
    assert detail.status_code == 200
    assert "A2025001" not in detail.content.decode()  # student numbers are private
    url = reverse("accounts:trainee_profile_edit", args=[cast.trainee.pk])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_trainee_sees_own_profile_and_history_but_cannot_edit(cast, client_for):
    client = client_for("trainee")
    body = client.get(reverse("accounts:person_detail", args=[cast.trainee.pk])).content.decode()
    assert "A2025001" in body and "History" in body
    url = reverse("accounts:trainee_profile_edit", args=[cast.trainee.pk])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_coordinator_edits_a_trainee_profile(cast, client_for):
    url = reverse("accounts:trainee_profile_edit", args=[cast.trainee.pk])
    client = client_for("coord_a")
    assert "A2025001" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "kind": "academic_master",
            "cohort": 2024,
            "specialty": "X",
            f"number_{cast.inst_a.pk}": "A2024999",
        },
    )
    assert response.status_code == 302
    cast.trainee.trainee_profile.refresh_from_db()
    assert cast.trainee.trainee_profile.kind == "academic_master"
    assert cast.trainee.trainee_profile.student_numbers.get().number == "A2024999"


@pytest.mark.django_db
def test_duplicate_student_number_rerenders_the_form_with_400(cast, client_for):
    url = reverse("accounts:trainee_profile_edit", args=[cast.resident.pk])
    response = client_for("coord_a").post(
        url, {"kind": "resident", "cohort": 2024, f"number_{cast.inst_a.pk}": "A2025001"}
    )
    assert response.status_code == 400
    assert "already used" in response.content.decode()


@pytest.mark.django_db
def test_tutor_quota_above_50_is_refused(cast, client_for):
    url = reverse("accounts:tutor_profile_edit", args=[cast.tutor_a.pk])
    response = client_for("coord_a").post(url, {"qualification": "master", "annual_quota": 51})
    assert response.status_code == 400
    assert TutorProfile.objects.get(user=cast.tutor_a).annual_quota == 3


@pytest.mark.django_db
def test_invite_page_creates_the_person(cast, client_for):
    response = client_for("coord_a").post(
        reverse("accounts:person_invite"),
        {
            "full_name": "Nora New",
            "email": "nora@example.org",
            "language": "en",
            "role": "teacher",
            "institution": cast.inst_a.pk,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="nora@example.org").memberships.get().role == "teacher"


@pytest.mark.django_db
def test_tutor_cannot_open_the_invite_page(client_for):
    assert client_for("tutor_a").get(reverse("accounts:person_invite")).status_code == 403


@pytest.mark.django_db
def test_ending_the_last_coordinator_shows_an_error_and_keeps_the_role(cast, client_for):
    membership = cast.coord_a.memberships.get()
    response = client_for("coord_a").post(
        reverse("accounts:membership_end", args=[membership.pk]), follow=True
    )
    assert "last coordinator" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).is_active


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(["full_name", "email", "role", "trainee_kind", "cohort"])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("people.xlsx", buffer.getvalue())


@pytest.mark.django_db
def test_import_page_shows_errors_by_row_and_column_with_400(cast, client_for):
    file = _xlsx(
        [
            ["Good", "good@example.org", "teacher", "", ""],
            ["Bad", "bad@example.org", "trainee", "alien", 2025],
        ]
    )
    response = client_for("coord_a").post(
        reverse("accounts:people_import"), {"institution": cast.inst_a.pk, "file": file}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "trainee_kind" in body and "<td>3</td>" in body
    assert not User.objects.filter(email="good@example.org").exists()


@pytest.mark.django_db
def test_import_page_imports_a_good_file(cast, client_for):
    file = _xlsx([["Good", "good@example.org", "teacher", "", ""]])
    response = client_for("coord_a").post(
        reverse("accounts:people_import"), {"institution": cast.inst_a.pk, "file": file}
    )
    assert response.status_code == 302
    assert User.objects.filter(email="good@example.org").exists()


@pytest.mark.django_db
def test_outsider_gets_404_importing_into_a(cast, client_for):
    file = _xlsx([["Good", "good@example.org", "teacher", "", ""]])
    response = client_for("outsider").post(
        reverse("accounts:people_import"), {"institution": cast.inst_a.pk, "file": file}
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_template_download_is_an_xlsx_in_chinese_for_chinese_users(cast, client_for):
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    response = client.get(reverse("accounts:people_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet["A1"].value == "姓名"
