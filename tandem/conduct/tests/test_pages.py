"""The conduct pages: fixed query counts at two data sizes, bad input refused with a message
naming what is wrong (nothing saved), the pages and the letter in Chinese."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.conduct import letter, services
from tandem.conduct.models import Case
from tandem.conduct.tests.factories import decided, open_case, responded, rules

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_and_detail_issue_the_same_queries_whatever_the_number_of_cases(cast, client_for):
    r = rules(cast)
    client = client_for("coord_a")
    with time_machine.travel(NOW, tick=False):
        case = responded(cast, open_case(cast))
        list_small = _count(client, reverse("conduct:case_list"))
        detail_small = _count(client, reverse("conduct:case_detail", kwargs={"pk": case.pk}))
        for _n in range(6):
            open_case(cast)
        for member in r["members"][1:]:
            services.case_vote(actor=member, case=case, level="warning")
        for n in range(4):
            services.evidence_add(
                actor=cast.coord_b,
                case=case,
                description=f"Notebook page {n}",
                file=SimpleUploadedFile(f"p{n}.pdf", b"%PDF-1.4", content_type="application/pdf"),
            )
        assert _count(client, reverse("conduct:case_list")) == list_small
        assert (
            _count(client, reverse("conduct:case_detail", kwargs={"pk": case.pk})) == detail_small
        )


def test_opening_with_an_article_not_in_force_answers_400_and_saves_nothing(cast, client_for):
    r = rules(cast)
    with time_machine.travel(NOW, tick=False):
        response = client_for("coord_b").post(
            reverse("conduct:case_new"),
            {
                "cultivation": r["cultivation"].pk,
                "article": r["art15"].pk,
                "committee": r["committee"].pk,
                "conduct_date": "2026-03-01",
                "facts": "Absent for a week.",
                "proposed_level": "warning",
            },
        )
    assert response.status_code == 400
    assert "was not in force on 2026-03-01" in response.content.decode()
    assert not Case.objects.exists()


def test_a_recused_member_voting_through_the_page_gets_the_reason(cast, client_for):
    with time_machine.travel(NOW, tick=False):
        case = responded(cast, open_case(cast, actor=cast.coord_a))
        response = client_for("coord_a").post(
            reverse("conduct:case_vote", kwargs={"pk": case.pk}), {"level": "warning"}, follow=True
        )
    assert "recused" in response.content.decode()
    assert not case.votes.exists()


def test_the_case_page_and_the_letter_in_chinese(cast, client_for):
    cast.trainee.preferred_language = "zh-hans"
    cast.trainee.save()
    with time_machine.travel(NOW, tick=False):
        case = decided(cast, responded(cast, open_case(cast)))
    client = client_for("trainee")
    page = client.get(
        reverse("conduct:case_detail", kwargs={"pk": case.pk}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "申诉理由" in page
    assert letter.trainee_language(case) == "zh-hans"
    html = letter.render_letter_html(case, "zh-hans")
    assert "处分决定书" in html and "伪造科研数据" in html and "学生申诉处理委员会" in html
    english = letter.render_letter_html(case, "en")
    assert "You may appeal in writing to Student appeals committee" in english
    pdf = client.get(reverse("conduct:case_letter", kwargs={"pk": case.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
