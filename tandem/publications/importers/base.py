"""What every bibliographic reader returns, and how it reports problems."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")


class ImportProblems(Exception):  # noqa: N818 - reads better at the call sites
    """Every problem found in a file, each naming its entry or line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Record:
    title: str
    authors: list[str]
    year: int | None = None
    journal: str = ""
    doi: str = ""
    volume: str = ""
    issue: str = ""
    pages: str = ""
    where: str = ""  # "entry 2" or "line 14", for messages
    extra: dict[str, str] = field(default_factory=dict)


def clean_doi(value: str) -> str:
    value = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "http://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.strip()


def check_record(record: Record, problems: list[str]) -> None:
    """The fields a publication needs; each problem names where the record came from."""
    where = record.where
    if not record.title.strip():
        problems.append(_("%(where)s: the title is missing.") % {"where": where})
    if not record.authors:
        problems.append(_("%(where)s: no authors are given.") % {"where": where})
    if record.year is None:
        problems.append(_("%(where)s: the year is missing or not a number.") % {"where": where})
    elif not 1900 <= record.year <= 2100:
        problems.append(
            _("%(where)s: %(year)s is not a plausible year.")
            % {"where": where, "year": record.year}
        )
    if record.doi and not DOI_PATTERN.match(record.doi):
        problems.append(
            _("%(where)s: “%(doi)s” is not a DOI (they look like 10.1000/xyz).")
            % {"where": where, "doi": record.doi}
        )


def parse_year(value: str) -> int | None:
    match = re.search(r"\d{4}", value or "")
    return int(match.group()) if match else None
