"""A strict BibTeX reader: @type{key, field = {value} | "value" | number, ...}.

Braces nest (`{{Zhang San}}` keeps a Chinese name whole), authors are separated by ` and `,
names given as "Family, Given" become "Given Family" unless they are written in CJK characters.
@comment, @preamble and @string entries are skipped; string macros are not expanded.
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

SKIPPED = {"comment", "preamble", "string"}
CJK = re.compile(r"[\u3400-\u9fff]")


class _Error(Exception):
    pass


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _read_braced(text: str, start: int) -> tuple[str, int]:
    """`text[start]` is "{"; return the content up to the matching "}" and the index after."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index], index + 1
    raise _Error(_("a brace “{” is never closed"))


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    depth = 0
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0 and text[index - 1] != "\\":
            return text[start + 1 : index], index + 1
    raise _Error(_("a quotation mark is never closed"))


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _read_fields(body: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    index = _skip_space(body, 0)
    while index < len(body):
        match = re.compile(r"([A-Za-z][\w\-]*)\s*=\s*").match(body, index)
        if not match:
            raise _Error(
                _("expected “name = value” near “%(text)s”")
                % {"text": body[index : index + 20].strip()}
            )
        name = match.group(1).lower()
        index = match.end()
        if index >= len(body):
            raise _Error(_("the field “%(name)s” has no value") % {"name": name})
        if body[index] == "{":
            value, index = _read_braced(body, index)
        elif body[index] == '"':
            value, index = _read_quoted(body, index)
        else:
            number = re.compile(r"\d+").match(body, index)
            if not number:
                raise _Error(
                    _("the value of “%(name)s” must be in braces or quotes") % {"name": name}
                )
            value, index = number.group(), number.end()
        if name in fields:
            raise _Error(_("the field “%(name)s” appears twice") % {"name": name})
        fields[name] = _plain(value)
        index = _skip_space(body, index)
        if index < len(body):
            if body[index] != ",":
                raise _Error(_("a comma is missing after the field “%(name)s”") % {"name": name})
            index = _skip_space(body, index + 1)
    return fields


def _plain(value: str) -> str:
    """Drop the braces that only protect capitalisation, and fold whitespace."""
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def _split_authors(value: str) -> list[str]:
    names = []
    for raw in re.split(r"\s+and\s+", value):
        name = raw.strip()
        if not name:
            continue
        if "," in name and not CJK.search(name):
            family, given = (part.strip() for part in name.split(",", 1))
            name = f"{given} {family}".strip()
        else:
            name = name.replace(",", "").strip()
        names.append(name)
    return names


def parse_bibtex(text: str) -> list[Record]:
    records: list[Record] = []
    problems: list[str] = []
    entry_pattern = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
    index = 0
    number = 0
    while True:
        at = text.find("@", index)
        if at < 0:
            break
        match = entry_pattern.match(text, at)
        line = _line_of(text, at)
        if not match:
            number += 1
            problems.append(
                _(
                    "Entry %(n)s (line %(line)s): “@” is not followed by a type "
                    "and an opening brace."
                )
                % {"n": number, "line": line}
            )
            index = at + 1
            continue
        kind = match.group(1).lower()
        opener = match.end() - 1
        try:
            if text[opener] == "(":
                closing = text.find(")", opener)
                if closing < 0:
                    raise _Error(_("a parenthesis “(” is never closed"))
                body, index = text[opener + 1 : closing], closing + 1
            else:
                body, index = _read_braced(text, opener)
        except _Error as exc:
            number += 1
            problems.append(
                _("Entry %(n)s (line %(line)s): %(problem)s.")
                % {"n": number, "line": line, "problem": exc}
            )
            break
        if kind in SKIPPED:
            continue
        number += 1
        where = _("Entry %(n)s (line %(line)s)") % {"n": number, "line": line}
        key, _comma, rest = body.partition(",")
        if not _comma or not key.strip() or "=" in key:
            problems.append(_("%(where)s: the citation key is missing.") % {"where": where})
            continue
        try:
            fields = _read_fields(rest)
        except _Error as exc:
            problems.append(f"{where}: {exc}.")
            continue
        record = Record(
            title=fields.get("title", ""),
            authors=_split_authors(fields.get("author", "")),
            year=parse_year(fields.get("year", "")),
            journal=fields.get("journal", "") or fields.get("booktitle", ""),
            doi=clean_doi(fields.get("doi", "")),
            volume=fields.get("volume", ""),
            issue=fields.get("number", ""),
            pages=fields.get("pages", "").replace("--", "–"),
            where=where,
        )
        check_record(record, problems)
        records.append(record)
    if not records and not problems:
        problems.append(_("The file holds no BibTeX entries."))
    if problems:
        raise ImportProblems(problems)
    return records
