"""Every page a coordinator can open is fully in Chinese when Chinese is chosen.

For each GET page of the authorization matrix, render it in Simplified Chinese and look for any
English source string of our catalogues (the msgids) in the visible text: finding one means a
string on that page escaped translation.
"""

import html
import re

import pytest
from django.urls import reverse

from tandem.core.tests.authz import OK
from tandem.core.tests.test_translations import CATALOGUES, _parse_po
from tandem.portal.tests.test_authorization_matrix import RULES

ENGLISH = sorted(
    {
        entry["msgid"]
        for po in CATALOGUES
        for entry in _parse_po(po)
        # Short words (e.g. "Name") can legitimately appear inside data; look for sentences.
        if len(entry["msgid"]) >= 18
        and "%(" not in entry["msgid"]
        and "{" not in entry["msgid"]
        and "<" not in entry["msgid"]
        and entry.get("msgstr") != entry["msgid"]
    },
    key=len,
    reverse=True,
)
PAGES = sorted(
    key
    for key, rule in RULES.items()
    if not rule.is_api and rule.method == "GET" and rule.expect.get("coord_a") == OK
)


def _visible_text(document: str) -> str:
    document = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", document)
    document = re.sub(r"(?s)<!--.*?-->", " ", document)
    return html.unescape(re.sub(r"<[^>]+>", " ", document))


@pytest.mark.django_db
@pytest.mark.parametrize("key", PAGES)
def test_page_has_no_english_left_in_chinese(key, cast, client_for):
    rule = RULES[key]
    client = client_for("coord_a")
    client.cookies["django_language"] = "zh-hans"
    url = reverse(key, kwargs=rule.kwargs(cast)) + (f"?{rule.query}" if rule.query else "")
    response = client.get(url)
    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return
    text = " ".join(_visible_text(response.content.decode()).split())
    leftovers = [msgid for msgid in ENGLISH if msgid in text]
    assert not leftovers, f"{key}: untranslated on the page: {leftovers[:5]}"
