"""Strict, small readers of bibliographic files: BibTeX, RIS and CSL-JSON.

Each reader turns the whole text into a list of `Record`s or raises `ImportProblems` listing
every problem with its entry or line number; callers import all records or none
(docs/decisions/050-bibliographic-parsers.md).
"""

from tandem.publications.importers.base import ImportProblems, Record
from tandem.publications.importers.bibtex import parse_bibtex
from tandem.publications.importers.csl import parse_csl_json
from tandem.publications.importers.ris import parse_ris

PARSERS = {"bibtex": parse_bibtex, "ris": parse_ris, "csl_json": parse_csl_json}


def parse(kind: str, text: str) -> list[Record]:
    return PARSERS[kind](text)


__all__ = ["ImportProblems", "Record", "parse", "parse_bibtex", "parse_csl_json", "parse_ris"]
