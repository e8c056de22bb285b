"""Every catalogue is complete (no empty or fuzzy entries) and its compiled .mo is current.

The .mo files are committed, because a fresh machine with only Python has no gettext tools.
"""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


def _parse_po(path: Path) -> list[dict]:
    entries: list[dict] = []
    current: dict = {"flags": set()}
    key = None

    def flush() -> None:
        nonlocal current
        if "msgid" in current:
            entries.append(current)
        current = {"flags": set()}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
            continue
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        key, _, rest = line.partition(" ")
        current[key] = ast.literal_eval(rest)
    flush()
    return [e for e in entries if e["msgid"]]  # skip the header


def test_there_are_catalogues():
    assert CATALOGUES, "no zh_Hans catalogues found"


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_catalogue_is_complete_and_compiled(po):
    entries = _parse_po(po)
    assert entries
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"{po}: fuzzy entries {fuzzy[:5]}"
    missing = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert not missing, f"{po}: untranslated {missing[:5]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run `make messages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in entries:
        if "msgstr" not in entry:
            continue
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            got = compiled.pgettext(entry["msgctxt"], msgid)
        else:
            got = compiled.gettext(msgid)
        assert got == entry["msgstr"], f"{mo} is older than {po.name}: run `make messages`"


PROJECT_CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _translations(path: Path) -> dict[tuple[str, str], str]:
    return {
        (e.get("msgctxt", ""), e["msgid"]): e.get("msgstr") or e.get("msgstr[0]", "")
        for e in _parse_po(path)
    }


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_no_app_translation_is_shadowed_by_the_project_catalogue(po):
    """Django looks in LOCALE_PATHS first: an app's different translation of the same msgid
    would never be shown. Give the app's sense its own msgid or a context instead."""
    if po == PROJECT_CATALOGUE:
        return
    project = _translations(PROJECT_CATALOGUE)
    shadowed = [
        (msgid, mine, project[ctx, msgid])
        for (ctx, msgid), mine in _translations(po).items()
        if (ctx, msgid) in project and project[ctx, msgid] != mine
    ]
    assert not shadowed, f"{po}: shadowed by locale/ (msgid, app, project): {shadowed[:5]}"


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_no_translation_says_the_same_thing_twice(po):
    doubled = [
        msgid
        for (_ctx, msgid), text in _translations(po).items()
        if len(text) > 10 and text[: len(text) // 2] == text[len(text) // 2 :]
    ]
    assert not doubled, f"{po}: translations repeated twice: {doubled[:5]}"


def test_apps_agree_on_every_shared_msgid():
    """Django merges the apps' catalogues into one, the first app in INSTALLED_APPS winning: a
    msgid two apps translate differently shows one app's wording on the other's pages (a
    tutor's 职称 for a publication's title). A different sense needs a context."""
    first: dict[tuple[str, str], tuple[str, str]] = {}
    clashes = []
    for po in CATALOGUES:
        if po == PROJECT_CATALOGUE:
            continue
        app = po.relative_to(ROOT).parts[1]
        for key, text in _translations(po).items():
            if key in first and first[key][1] != text:
                clashes.append((key[1], first[key][0], first[key][1], app, text))
            first.setdefault(key, (app, text))
    assert not clashes, f"translated differently (msgid, app, text, app, text): {clashes[:5]}"
