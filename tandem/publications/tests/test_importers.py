"""The bibliographic readers: real-looking files in, records or row-level problems out."""

from pathlib import Path

import pytest
from django.utils import translation

from tandem.publications.importers import ImportProblems, parse_bibtex, parse_csl_json, parse_ris

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(autouse=True)
def _english():
    # The messages are checked in their English source form.
    with translation.override("en"):
        yield


def _read(name):
    return (SAMPLES / name).read_text(encoding="utf-8")


def test_bibtex_reads_braces_quotes_numbers_and_chinese_names():
    records = parse_bibtex(_read("good.bib"))
    assert len(records) == 2
    first, second = records
    assert first.authors == ["张晓明", "李伟", "Jing Chen"]
    assert (
        first.title == "Hypoxia-inducible factor 1α and radiosensitivity of Nasopharyngeal "
        "carcinoma"
    )
    assert (first.year, first.volume, first.issue, first.pages) == (2026, "38", "2", "101–112")
    assert first.doi == "10.21147/j.issn.1000-9604.2026.02.01"
    assert second.authors == ["Xiaoming Zhang", "Lan Ma"]
    assert second.journal == "Proceedings of the Western Medical Forum"


def test_bad_bibtex_names_every_bad_entry():
    with pytest.raises(ImportProblems) as error:
        parse_bibtex(_read("bad.bib"))
    problems = error.value.problems
    assert any("Entry 2" in p and "year" in p for p in problems)
    assert any("Entry 3" in p and "never closed" in p for p in problems)
    assert not any("Entry 1" in p for p in problems)


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "no BibTeX entries"),
        ("@article{key, title = {T}, year = {2020}, author = {A} title = {X}}", "comma is missing"),
        ("@article{key, title = {T}, title = {U}, year = 2020, author = {A}}", "appears twice"),
        ("@article{, title = {T}, year = 2020, author = {A}}", "citation key"),
        ("@article{k, title = T, year = 2020}", "braces or quotes"),
    ],
)
def test_malformed_bibtex_is_explained(text, fragment):
    with pytest.raises(ImportProblems) as error:
        parse_bibtex(text)
    assert fragment in " ".join(error.value.problems)


def test_ris_reads_tags_continuations_and_doi_urls():
    records = parse_ris(_read("good.ris"))
    assert len(records) == 2
    first = records[0]
    assert first.authors == ["张晓明", "Wei Li", "Jing Chen"]
    assert first.title == "Tumour hypoxia imaging with 18F-FMISO PET in nasopharyngeal carcinoma"
    assert (first.journal, first.year, first.pages) == (
        "Journal of Nuclear Medicine",
        2026,
        "401–408",
    )
    assert first.doi == "10.2967/jnumed.126.000001"
    assert records[1].title == "Second record" and records[1].year == 2025


def test_bad_ris_names_lines():
    with pytest.raises(ImportProblems) as error:
        parse_ris(_read("bad.ris"))
    text = " ".join(error.value.problems)
    assert "Line 6" in text  # the garbage line
    assert "Line 7" in text and "never closed" in text
    assert "line 1" in text and "year" in text


def test_csl_json_from_a_doi():
    (record,) = parse_csl_json(_read("doi.json"))
    assert record.authors == ["张晓明", "Wei Li", "Jing Chen"]
    assert (record.journal, record.year, record.doi, record.pages) == (
        "Medical Education",
        2026,
        "10.1111/medu.20260512",
        "512–520",
    )


def test_bad_csl_json_names_items():
    with pytest.raises(ImportProblems) as error:
        parse_csl_json(_read("bad.json"))
    text = " ".join(error.value.problems)
    assert "Item 2" in text and "title" in text and "DOI" in text
    assert "Item 1" not in text


def test_invalid_json_names_the_line():
    with pytest.raises(ImportProblems) as error:
        parse_csl_json('{\n "title": "x",\n oops }')
    assert "Line 3" in error.value.problems[0]
