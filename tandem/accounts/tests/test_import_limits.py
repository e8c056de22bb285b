"""A small import file that would cost minutes is refused in a moment: reading stops at the
row limit and a workbook that unpacks too large is not parsed at all."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.accounts import importing
from tandem.accounts.importing import ImportRejected
from tandem.accounts.tests.test_importing import GOOD_ROWS, HEADER, csv_file, xlsx

pytestmark = pytest.mark.django_db


def _with_members(upload, replace=None, add=None):
    """The workbook `upload` with some zip members replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(upload.read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, data)
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return SimpleUploadedFile("people.xlsx", out.getvalue())


def _rows_sheet(n):
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>Li {i}</t></is></c></row>'
        for i in range(1, n + 1)
    )
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def _messages(excinfo):
    return [error.message for error in excinfo.value.row_errors]


def _import(cast, file):
    from tandem.accounts import services

    return services.people_import(actor=cast.coord_a, institution=cast.inst_a, file=file)


def test_a_workbook_of_many_rows_is_refused_after_reading_no_more_than_the_limit(cast, monkeypatch):
    upload = _with_members(xlsx([]), replace={"xl/worksheets/sheet1.xml": _rows_sheet(20_000)})
    assert len(upload) < importing.MAX_BYTES  # allowed to be sent
    read = []
    bounded = importing._bounded

    def counting(rows):
        def each():
            for row in rows:
                read.append(1)
                yield row

        return bounded(each())

    monkeypatch.setattr(importing, "_bounded", counting)
    with pytest.raises(ImportRejected) as excinfo:
        _import(cast, upload)
    assert _messages(excinfo) == ["At most 5000 rows at a time."]
    assert len(read) == importing.MAX_ROWS + 2


def test_a_million_blank_rows_are_refused_too(cast):
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>full_name</t></is></c></row>'
        b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData></worksheet>"
    )
    upload = _with_members(xlsx([]), replace={"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(ImportRejected) as excinfo:
        _import(cast, upload)
    assert _messages(excinfo) == ["At most 5000 rows at a time."]


def test_a_workbook_that_unpacks_too_large_is_not_parsed(cast, monkeypatch):
    def not_parsed(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("openpyxl.load_workbook", not_parsed)
    padding = b"\0" * (importing.MAX_UNPACKED_BYTES + 1)
    upload = _with_members(xlsx(GOOD_ROWS), add={"xl/media/padding.bin": padding})
    assert len(upload) < importing.MAX_BYTES
    with pytest.raises(ImportRejected) as excinfo:
        _import(cast, upload)
    assert _messages(excinfo) == [
        "The workbook unpacks to more than 50 MB; split it into smaller files."
    ]


def test_a_csv_over_the_row_limit_is_refused(cast):
    lines = [",".join(HEADER)] + [f"Li {i},li{i}@example.org,trainee" for i in range(5001)]
    with pytest.raises(ImportRejected) as excinfo:
        _import(cast, csv_file("\n".join(lines)))
    assert _messages(excinfo) == ["At most 5000 rows at a time."]


def test_a_file_at_the_row_limit_is_still_read(cast):
    table = importing._bounded([HEADER] + [["x"]] * importing.MAX_ROWS + [[None]] * 10)
    assert len(table) == importing.MAX_ROWS + 11
