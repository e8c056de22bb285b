"""A final award appears on the trainee's joint record page, in its JSON export and in the PDF
in both languages; an award still in its objection period does not."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from tandem.rewards.tests.factories import cultivation_of, nomination_in

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes, tmp_path) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    source = tmp_path / "r.pdf"
    source.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(source), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_record_page_and_json_show_the_final_award_only(cast, client_for):
    nomination_in(cast, "announced")  # in its period: not on the record
    final = nomination_in(cast, "final")
    cultivation = cultivation_of(cast)
    client = client_for("coord_a")
    page = client.get(reverse("plans:record", args=[cultivation.pk])).content.decode()
    assert "Rewards and honours" in page
    assert page.count("Outstanding joint trainee") == 1
    data = client.get(reverse("plans:record_json", args=[cultivation.pk])).json()
    assert data["rewards"] == [
        {
            "kind": "honour_title",
            "title": "Outstanding joint trainee",
            "title_zh": "优秀联合培养研究生",
            "institution": cast.inst_a.code,
            "announced_on": final.round.announced_on.isoformat(),
            "objection_until": final.round.objection_until.isoformat(),
            "final_on": final.final_on.isoformat(),
        }
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["Rewards and honours", "Outstanding joint trainee"]),
        ("zh-hans", ["奖励与荣誉", "优秀联合培养研究生"]),
    ],
)
def test_record_pdf_has_the_rewards_section_in_both_languages(
    cast, client_for, tmp_path, lang, expected
):
    nomination_in(cast, "final")
    cultivation = cultivation_of(cast)
    response = client_for("trainee").get(
        reverse("plans:record_pdf", args=[cultivation.pk]), {"lang": lang}
    )
    assert response.status_code == 200
    text = _pdf_text(response.content, tmp_path)
    if text is not None:
        for words in expected:
            assert words in text
