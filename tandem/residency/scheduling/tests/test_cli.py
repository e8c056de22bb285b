"""Command-line exit codes and output, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tandem.residency.scheduling.tests.factories import example_instance

ROOT = Path(__file__).resolve().parents[4]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tandem.residency.scheduling", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _write(path: Path, data: Any) -> str:
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_solve_then_check_succeeds(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", example_instance())
    solved = _run("solve", instance, "--time-limit", "10", "--seed", "3")
    assert solved.returncode == 0, solved.stderr
    solution = json.loads(solved.stdout)
    assert list(solution) == [
        "format", "instance", "status", "objective", "bound", "wall_seconds", "assignments",
        "conflicts",
    ]  # fmt: skip
    assert solution["status"] == "OPTIMAL"
    assert "incumbent" in solved.stderr  # progress goes to standard error
    checked = _run("check", instance, _write(tmp_path / "solution.json", solution))
    assert checked.returncode == 0, checked.stdout
    assert "OK" in checked.stdout


def test_check_exits_1_and_names_the_broken_rule(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", example_instance())
    solution = json.loads(_run("solve", instance, "--time-limit", "10", "--quiet").stdout)
    solution["assignments"]["R001"][6] = "H1-WARD"  # block 6 is R001's leave
    checked = _run("check", instance, _write(tmp_path / "broken.json", solution))
    assert checked.returncode == 1
    assert "R001, block 6: on leave but assigned to H1-WARD" in checked.stdout


def test_malformed_instance_exits_2_naming_the_field(tmp_path: Path) -> None:
    data = example_instance()
    data["residents"][0]["fixed"] = {"14": "H1-WARD"}
    instance = _write(tmp_path / "bad.json", data)
    for args in (("solve", instance), ("check", instance, instance)):
        result = _run(*args)
        assert result.returncode == 2
        assert 'residents[0].fixed["14"]: block 14 is outside 0..12' in result.stderr
        assert "Traceback" not in result.stderr


def test_invalid_json_and_missing_file_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert _run("solve", str(broken)).returncode == 2
    missing = _run("solve", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read" in missing.stderr


def test_infeasible_instance_prints_conflicts_and_exits_1(tmp_path: Path) -> None:
    data = example_instance()
    data["rotations"][0]["min"] = 3
    result = _run("solve", _write(tmp_path / "i.json", data), "--time-limit", "10")
    assert result.returncode == 1
    solution = json.loads(result.stdout)
    assert solution["status"] == "INFEASIBLE"
    assert "assignments" not in solution
    assert solution["conflicts"]


def test_previous_schedule_reports_changes(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", example_instance())
    first = _run("solve", instance, "--time-limit", "10", "--quiet")
    previous = _write(tmp_path / "previous.json", json.loads(first.stdout))
    again = _run(
        "solve", instance, "--time-limit", "10", "--previous", previous, "--minimize-changes"
    )
    assert again.returncode == 0
    assert "changed assignments versus previous: 0" in again.stderr


def _generated(tmp_path: Path, size: str, seed: int) -> str:
    from tandem.residency.scheduling.instance import instance_to_dict
    from tandem.residency.scheduling.tools.generate import generate_instance

    return _write(tmp_path / f"{size}.json", instance_to_dict(generate_instance(size, seed=seed)))


@pytest.mark.parametrize("engine", ["cp-sat", "hybrid"])
def test_whole_command_returns_within_the_time_limit_and_two_seconds(
    tmp_path: Path, engine: str
) -> None:
    instance = _generated(tmp_path, "pair", 4)  # planted: feasible by construction
    # Start-up counts: importing OR-Tools alone takes 2-3 s on a busy 2-core machine.
    limit = 8.0
    started = time.monotonic()
    solved = _run("solve", instance, "--time-limit", str(limit), "--engine", engine)
    took = time.monotonic() - started  # interpreter start-up, parsing and writing included
    assert took <= limit + 2.0, solved.stderr
    assert solved.returncode == 0, solved.stderr
    solution = json.loads(solved.stdout)
    assert solution["status"] in ("OPTIMAL", "FEASIBLE")
    assert "first schedule after" in solved.stderr
    checked = _run("check", instance, _write(tmp_path / "solution.json", solution))
    assert checked.returncode == 0, checked.stdout


def test_progress_lines_start_at_once(tmp_path: Path) -> None:
    instance = _generated(tmp_path, "pair", 4)
    solved = _run("solve", instance, "--time-limit", "5", "--engine", "hybrid")
    first = solved.stderr.splitlines()[0]
    assert first.startswith("[") and float(first[1:].split("s]")[0]) < 1.0


def test_time_limit_must_be_positive(tmp_path: Path) -> None:
    instance = _write(tmp_path / "instance.json", example_instance())
    result = _run("solve", instance, "--time-limit", "0")
    assert result.returncode == 2
    assert "--time-limit: must be a positive number of seconds" in result.stderr
