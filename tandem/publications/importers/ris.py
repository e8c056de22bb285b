"""A strict RIS reader: "TY  - JOUR" … "ER  -" records of "XX  - value" lines.

Tags read: TY (type, opens a record), AU/A1 (authors, in order), TI/T1 (title), JO/JF/T2
(journal), PY/Y1 (year), DO (DOI), VL, IS, SP/EP (pages), ER (closes the record). Other tags
are ignored; a line that is not a tag line is an error unless it continues the line before.
"""

import re

from django.utils.translation import gettext as _

from tandem.publications.importers.base import (
    ImportProblems,
    Record,
    check_record,
    clean_doi,
    parse_year,
)

TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _name(value: str) -> str:
    if "," in value and not re.search(r"[\u3400-\u9fff]", value):
        family, given = (part.strip() for part in value.split(",", 1))
        return f"{given} {family}".strip()
    return value.replace(",", "").strip()


def parse_ris(text: str) -> list[Record]:
    records: list[Record] = []
    problems: list[str] = []
    current: dict[str, list[str]] | None = None
    start_line = 0
    last_tag = ""
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = TAG_LINE.match(line)
        if not match:
            if current is not None and last_tag in ("TI", "T1", "AB", "N1"):
                current[last_tag][-1] += " " + line.strip()
                continue
            problems.append(
                _("Line %(line)s: “%(text)s” is not an RIS tag line (“XX  - value”).")
                % {"line": number, "text": line[:40]}
            )
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        last_tag = tag
        if tag == "TY":
            if current is not None:
                problems.append(
                    _(
                        "Line %(line)s: a new record starts before the record of "
                        "line %(start)s ends with ER."
                    )
                    % {"line": number, "start": start_line}
                )
            current, start_line = {"TY": [value]}, number
            continue
        if current is None:
            problems.append(
                _("Line %(line)s: the tag %(tag)s comes before any TY line.")
                % {"line": number, "tag": tag}
            )
            continue
        if tag == "ER":
            records.append(_record(current, start_line))
            current = None
            continue
        current.setdefault(tag, []).append(value)
    if current is not None:
        problems.append(
            _("Line %(line)s: the record is never closed with “ER  -”.") % {"line": start_line}
        )
    for record in records:
        check_record(record, problems)
    if not records and not problems:
        problems.append(_("The file holds no RIS records."))
    if problems:
        raise ImportProblems(problems)
    return records


def _first(fields: dict[str, list[str]], *tags: str) -> str:
    for tag in tags:
        if fields.get(tag):
            return fields[tag][0]
    return ""


def _record(fields: dict[str, list[str]], line: int) -> Record:
    start, end = _first(fields, "SP"), _first(fields, "EP")
    return Record(
        title=_first(fields, "TI", "T1"),
        authors=[_name(v) for v in fields.get("AU", []) + fields.get("A1", []) if v],
        year=parse_year(_first(fields, "PY", "Y1", "DA")),
        journal=_first(fields, "JO", "JF", "T2", "JA"),
        doi=clean_doi(_first(fields, "DO")),
        volume=_first(fields, "VL"),
        issue=_first(fields, "IS"),
        pages=f"{start}–{end}" if start and end else start,
        where=_("Record at line %(line)s") % {"line": line},
    )
