"""CSL-JSON, the metadata a DOI resolves to (`Accept: application/vnd.citationstyles.csl+json`):
one object or a list of them, with `title`, `author[].family/given` (or `literal`),
`issued.date-parts`, `DOI`, `container-title`, `volume`, `issue`, `page`.
"""

import json
from typing import Any

from django.utils.translation import gettext as _

from tandem.publications.importers.base import ImportProblems, Record, check_record, clean_doi


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip() if value is not None else ""


def _author(entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    if entry.get("literal"):
        return str(entry["literal"]).strip()
    family, given = _text(entry.get("family")), _text(entry.get("given"))
    if any("\u3400" <= char <= "\u9fff" for char in family + given):
        return f"{family}{given}"
    return f"{given} {family}".strip()


def _year(item: dict[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published-online"):
        parts = (item.get(key) or {}).get("date-parts") if isinstance(item.get(key), dict) else None
        if parts and isinstance(parts, list) and parts[0]:
            try:
                return int(parts[0][0])
            except (TypeError, ValueError):
                return None
    return None


def parse_csl_json(text: str) -> list[Record]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblems(
            [
                _("Line %(line)s, column %(col)s: the file is not valid JSON (%(msg)s).")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ]
        ) from None
    items = data if isinstance(data, list) else [data]
    problems: list[str] = []
    records: list[Record] = []
    for number, item in enumerate(items, start=1):
        where = _("Item %(n)s") % {"n": number}
        if not isinstance(item, dict):
            problems.append(_("%(where)s: not a CSL-JSON object.") % {"where": where})
            continue
        authors = item.get("author") or []
        if not isinstance(authors, list):
            problems.append(_("%(where)s: “author” must be a list.") % {"where": where})
            continue
        names = [_author(a) for a in authors]
        if any(not name for name in names):
            problems.append(
                _("%(where)s: an author has neither a family name nor a literal name.")
                % {"where": where}
            )
        record = Record(
            title=_text(item.get("title")),
            authors=[n for n in names if n],
            year=_year(item),
            journal=_text(item.get("container-title")),
            doi=clean_doi(_text(item.get("DOI"))),
            volume=_text(item.get("volume")),
            issue=_text(item.get("issue")),
            pages=_text(item.get("page")).replace("-", "–"),
            where=where,
        )
        check_record(record, problems)
        records.append(record)
    if not records and not problems:
        problems.append(_("The file holds no CSL-JSON items."))
    if problems:
        raise ImportProblems(problems)
    return records
