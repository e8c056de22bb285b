"""The solver's English conflicts (proposals solved before findings were kept) with names."""

from django.urls import reverse

from tandem.residency import grid
from tandem.residency.models import Department, Program


def test_conflicts_name_departments_members_and_programs_and_escape_the_rest():
    department = Department(pk=7, name="Cardiology <ICU>")
    program = Program(pk=3, name="Internal medicine")
    member = type("Member", (), {"__str__": lambda self: "Li & Wang"})()

    [html] = grid.conflicts_html(
        ["R5, block 2: D7 is not part of program P3 (D99 <b>)"],
        {"D7": department},
        {"R5": member},
        {"P3": program},
    )

    assert html.startswith("<strong>Li &amp; Wang</strong>, block 2: ")
    assert (
        f'<a href="{reverse("residency:department_edit", args=[7])}">Cardiology &lt;ICU&gt;</a>'
    ) in html
    assert (
        f'<a href="{reverse("residency:program_detail", args=[3])}">Internal medicine</a>' in html
    )
    assert html.endswith("(D99 &lt;b&gt;)")
