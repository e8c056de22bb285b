"""Forms, views and API operations take people and institutions only from the selectors.

"Admin sees all, else the user's reach" is written in the selectors (`accounts/selectors.py`,
`institutions/selectors.py`, `tandem/core/lookups.py`) and nowhere else (docs/decisions/077):
a page module that builds its own `User.objects…` or `Institution.objects…` queryset is where a
choice list starts to offer, or an id lookup to answer for, what the user may not see.
"""

import ast
from pathlib import Path

import tandem

TANDEM = Path(tandem.__file__).parent

# The tenant tables of who and where; any other model reaches people only through these.
SCOPED_MODELS = {"User", "Institution", "Membership", "Unit", "TraineeProfile", "TutorProfile"}
PAGE_KINDS = {"forms", "views", "api"}


def _is_page_module(path: Path) -> bool:
    # `views.py`, `views_log.py`, `api_setup.py`, `forms.py` (decision 074's names)
    return path.stem.split("_")[0] in PAGE_KINDS


def page_modules() -> list[Path]:
    return sorted(
        path
        for path in TANDEM.rglob("*.py")
        if _is_page_module(path) and "tests" not in path.parts and "migrations" not in path.parts
    )


def unscoped_querysets(source: str) -> list[tuple[int, str]]:
    """(line, model) of every `<Model>.objects` on a scoped model, except `.none()` (the empty
    placeholder a form field is declared with before `__init__` sets the selector's queryset)."""
    tree = ast.parse(source)
    placeholders = {
        id(node.func.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "none"
        and not node.args
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in SCOPED_MODELS
            and id(node) not in placeholders
        ):
            found.append((node.lineno, node.value.id))
    return found


def test_the_scan_finds_a_queryset_and_lets_a_placeholder_pass():
    source = (
        "people = User.objects.filter(is_active=True)\n"
        "field = forms.ModelChoiceField(queryset=Institution.objects.none())\n"
        "units = Unit.objects.all().none()\n"
        "other = SharedResource.objects.all()\n"
    )
    assert unscoped_querysets(source) == [(1, "User"), (3, "Unit")]


def test_page_modules_are_found_by_their_kind():
    names = {path.relative_to(TANDEM).as_posix() for path in page_modules()}
    assert {"agreements/forms.py", "accounts/views.py", "meetings/api.py"} <= names
    assert "residency/views_schedule.py" in names
    assert not any("/tests/" in name for name in names)
    assert "accounts/selectors.py" not in names


def test_no_page_module_builds_a_person_or_institution_queryset():
    offenders = [
        f"{path.relative_to(TANDEM)}:{line} {model}.objects"
        for path in page_modules()
        for line, model in unscoped_querysets(path.read_text())
    ]
    assert offenders == [], "use a selector (docs/decisions/077): " + ", ".join(offenders)
