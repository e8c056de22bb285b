"""Time and memory of people imports, in a throwaway test database (docs/benchmarks.md).

    python manage.py bench_imports                      # the default sizes
    python manage.py bench_imports --rows 100,1000 --bomb-rows 200000

Measures (1) the bounded reader on a small .xlsx of very many rows (the file of issue 20:
refused at the row limit), (2) checking 5,000 rows, (3) whole imports of each size, as the
page does for a small file and as the background job does (check with progress, then save).
Memory is the peak of Python allocations (tracemalloc) during the step.
"""

import contextlib
import io
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import TestCase
from django.test.utils import (
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)

from tandem.accounts import importing, services, services_import
from tandem.core.tests.cast import build_cast
from tandem.imports.models import ImportJob


def _timed(step: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds of `step` (CPU time holds on a loaded machine too: SQLite
    runs in the process), and its result or the error it raised."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        result = step()
    except Exception as exc:  # noqa: BLE001 — a refusal is a result here
        result = exc
    return time.perf_counter() - wall, time.process_time() - cpu, result


def _peak_mb(step: Callable[[], Any]) -> float:
    """The peak of Python allocations during a second run of `step` (tracemalloc slows the
    run, so it is not timed)."""
    tracemalloc.start()
    with contextlib.suppress(Exception):  # only the memory is wanted
        step()
    peak = tracemalloc.get_traced_memory()[1] / (1024 * 1024)
    tracemalloc.stop()
    return peak


def _xlsx(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("People")
    sheet.append(["full_name", "email", "role"])
    for i in range(rows):
        sheet.append([f"Teacher {i}", f"t{i}@example.org", "teacher"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _many_rows_xlsx(rows: int) -> bytes:
    """A header and `rows` blank rows: a few KB packed (the kind of file of issue 20)."""
    import zipfile

    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row><c t="inlineStr"><is><t>full_name</t></is></c></row>'
        + "<row/>" * rows
        + "</sheetData></worksheet>"
    ).encode()
    source = zipfile.ZipFile(io.BytesIO(_xlsx(0)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            is_sheet = info.filename.startswith("xl/worksheets/sheet")
            target.writestr(info.filename, sheet if is_sheet else source.read(info.filename))
    return out.getvalue()


def _csv(rows: int, start: int) -> bytes:
    lines = ["full_name,email,role"]
    lines += [f"Teacher {i},bench{i}@example.org,teacher" for i in range(start, start + rows)]
    return ("\n".join(lines) + "\n").encode()


class Command(BaseCommand):
    help = "Time and memory of people imports, in a throwaway test database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--rows", default="100,1000,5000", help="sizes of whole imports")
        parser.add_argument("--bomb-rows", type=int, default=1_000_000)

    def handle(self, *args: Any, **options: Any) -> None:
        setup_test_environment()
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
                self._run([int(n) for n in options["rows"].split(",")], options["bomb_rows"])
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
            teardown_test_environment()

    def _line(self, what: str, size: int, timing: tuple, peak: float | None, outcome: str) -> None:
        memory = f"{peak:.1f} MB" if peak is not None else "—"
        self.stdout.write(
            f"| {what} | {size / 1024:,.0f} KB | {timing[0]:.2f} s | {timing[1]:.2f} s "
            f"| {memory} | {outcome} |"
        )

    def _run(self, sizes: list[int], bomb_rows: int) -> None:
        cast = build_cast()
        self.stdout.write("| step | file | wall | CPU | peak memory | outcome |")
        self.stdout.write("| --- | --- | --- | --- | --- | --- |")
        bomb = _many_rows_xlsx(bomb_rows)

        def read() -> Any:
            return importing.read_table(services_import.named_file(bomb, "bomb.xlsx"))

        wall, cpu, result = _timed(read)
        outcome = result.messages[0] if isinstance(result, Exception) else f"{len(result)} rows"
        self._line(
            f"read .xlsx of {bomb_rows:,} rows", len(bomb), (wall, cpu), _peak_mb(read), outcome
        )

        checked = _xlsx(5000)

        def check() -> Any:
            file = services_import.named_file(checked, "people.xlsx")
            return importing.parse_and_validate(file, cast.inst_a)

        wall, cpu, result = _timed(check)
        outcome = f"{len(result)} rows valid" if isinstance(result, list) else str(result)
        self._line("check 5,000 rows (.xlsx)", len(checked), (wall, cpu), _peak_mb(check), outcome)

        start = 0
        for rows in sizes:
            data = _csv(rows, start)
            start += rows
            wall, cpu, result = _timed(
                lambda data=data: services.people_import(
                    actor=cast.coord_a,
                    institution=cast.inst_a,
                    file=services_import.named_file(data, "people.csv"),
                )
            )
            outcome = f"{result.total} imported" if hasattr(result, "total") else str(result)
            self._line(f"import {rows:,} rows at once", len(data), (wall, cpu), None, outcome)

            data = _csv(rows, start)
            start += rows

            def as_job(data: bytes = data) -> ImportJob:
                with TestCase.captureOnCommitCallbacks(execute=False):
                    job = services_import.people_import_job_start(
                        actor=cast.coord_a,
                        institution=cast.inst_a,
                        file_name="people.csv",
                        content=data,
                    )
                return services_import.people_import_job_run(job_id=job.pk)

            wall, cpu, job = _timed(as_job)
            outcome = f"{job.status}, {job.rows_done} rows" if isinstance(job, ImportJob) else job
            self._line(f"import {rows:,} rows as a job", len(data), (wall, cpu), None, str(outcome))
