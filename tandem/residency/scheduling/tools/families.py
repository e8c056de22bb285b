"""``python -m tandem.residency.scheduling bench-families``: the solver over families of instances.

A family is a generator size with a shape (``generate.Size``): tight or loose staffing, long
rotations, residents who may idle, a calendar of 52 blocks, many small programs, ... Each run
is the real command (``solve FILE --time-limit L``) in its own process, timed from outside, on
an idle machine and then next to a CPU hog that this benchmark starts itself (one spinning
process per core, as ``stress --cpu`` would). Every returned schedule is checked by
``checker.py``. The report gives, per family and load: the median and worst gap to the best
bound known for the instance, the time to the first schedule (from the command's start), and
the share of runs past the deadline (limit + 2 s), which must be zero.

``--build`` measures instead the time and peak memory of building the model per size.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# name: (generator size, shape)
FAMILIES: dict[str, tuple[str, dict[str, Any]]] = {
    "tiny-10": ("small", {"residents": 10}),
    "small": ("small", {}),
    "small-tight": ("small", {"capacity": "tight"}),
    "small-idle": ("medium", {"residents": 40, "idle_share": 0.3}),
    "medium": ("medium", {}),
    "medium-tight": ("medium", {"capacity": "tight"}),
    "medium-loose-electives": ("medium", {"capacity": "loose", "extra_rotations": 10}),
    "medium-long-stints": ("medium", {"duration": 3, "stint_share": 0.5}),
    "medium-52-blocks": ("medium", {"blocks": 52, "residents": 60}),
    "medium-many-programs": ("medium", {"programs": "many"}),
    "large": ("large", {}),
    "large-few-programs": ("large", {"programs": "few"}),
    "large-exchange": (
        "large",
        {"exchange_slack": 2, "site_change": 6, "fairness": 10, "leave": "heavy", "pins": 0.5},
    ),
    "consortium": ("consortium", {}),
    "consortium-1500": ("consortium", {"residents": 1500}),
}
SMOKE = "tiny-10,small,medium-tight,medium-52-blocks,large-few-programs"
OVERRUN = 2.0  # the promise: the command returns by --time-limit + 2 s
_FIRST = re.compile(r"([\d.]+)s after the command started")


def size_class(residents: int) -> str:
    if residents <= 40:
        return "small (<= 40)"
    if residents <= 400:
        return "up to 400"
    return "up to 1,500"


def default_limit(residents: int) -> float:
    """The time limits of the targets (issue 15): 10 s, 120 s, 300 s."""
    if residents <= 40:
        return 10.0
    return 120.0 if residents <= 400 else 300.0


def _spin() -> None:  # pragma: no cover - runs in the hog's processes
    # a forked child inherits the parent's Python handlers (a test runner's, say);
    # the hog must die on terminate()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        pass


@contextmanager
def cpu_hog(processes: int) -> Iterator[None]:
    """``processes`` busy processes beside the runs; ended (by their handles) on the way out."""
    context = multiprocessing.get_context("fork")
    hogs = [context.Process(target=_spin, daemon=True) for _ in range(processes)]
    for hog in hogs:
        hog.start()
    try:
        yield
    finally:
        for hog in hogs:
            hog.terminate()
        for hog in hogs:
            hog.join(10)
            if hog.is_alive():  # a loaded machine can be slow to deliver SIGTERM
                hog.kill()
                hog.join()


def run_once(instance_path: Path, limit: float, extra: Sequence[str] = ()) -> dict[str, Any]:
    """One ``solve`` command, timed from outside; its solution checked by ``checker.py``."""
    from tandem.residency.scheduling.checker import check_schedule
    from tandem.residency.scheduling.instance import parse_instance, parse_solution

    command = [
        sys.executable, "-m", "tandem.residency.scheduling", "solve", str(instance_path),
        "--time-limit", f"{limit:g}", *extra,
    ]  # fmt: skip
    started = time.monotonic()
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=limit + 60, check=False
        )
    except subprocess.TimeoutExpired:
        return {"wall": time.monotonic() - started, "status": "HUNG", "ok": False}
    wall = time.monotonic() - started
    row: dict[str, Any] = {"wall": wall, "exit": done.returncode, "ok": False}
    first = _FIRST.search(done.stderr)
    row["first"] = float(first.group(1)) if first else None
    try:
        solution = parse_solution(json.loads(done.stdout))
    except (ValueError, TypeError):
        row["status"] = "NO OUTPUT"
        return row
    instance = parse_instance(json.loads(instance_path.read_text(encoding="utf-8")))
    report = check_schedule(instance, solution)
    row.update(
        status=solution.status,
        objective=solution.objective,
        bound=solution.bound,
        ok=solution.assignments is not None and report.ok,
        problems=len(report.problems),
    )
    return row


def gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    return max(0.0, (bound - objective) / max(1, abs(bound)))


def summarize(runs: list[dict[str, Any]], limits: dict[str, float]) -> list[str]:
    """Markdown rows: per family and load, the distribution over seeds."""
    best_bound: dict[tuple[str, int], int] = {}
    for run in runs:
        if run.get("bound") is not None:
            key = (run["family"], run["seed"])
            best_bound[key] = min(best_bound.get(key, run["bound"]), run["bound"])
    lines = [
        "| family | residents | load | runs | checked schedules | gap median | gap worst "
        "| first schedule median | first worst | past limit + 2 s | statuses |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for run in runs:
        groups.setdefault((run["family"], run["load"]), []).append(run)
    for (family, load), group in groups.items():
        gaps = [
            g
            for r in group
            if r["ok"]
            and (g := gap(r.get("objective"), best_bound.get((family, r["seed"])))) is not None
        ]
        firsts = [r["first"] for r in group if r.get("first") is not None]
        late = sum(1 for r in group if r["wall"] > limits[family] + OVERRUN)
        statuses: dict[str, int] = {}
        for r in group:
            statuses[r.get("status", "?")] = statuses.get(r.get("status", "?"), 0) + 1
        lines.append(
            f"| {family} ({limits[family]:g} s) | {group[0]['residents']} | {load} "
            f"| {len(group)} | {sum(1 for r in group if r['ok'])} "
            f"| {_percent(statistics.median(gaps) if gaps else None)} "
            f"| {_percent(max(gaps) if gaps else None)} "
            f"| {_seconds(statistics.median(firsts) if firsts else None)} "
            f"| {_seconds(max(firsts) if firsts else None)} "
            f"| {late}/{len(group)} "
            f"| {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))} |"
        )
    return lines


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f} %"


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def _build_worker(residents: int) -> dict[str, Any]:
    import resource

    from tandem.residency.scheduling.linear import linear_form
    from tandem.residency.scheduling.model import ScheduleModel
    from tandem.residency.scheduling.objective import build_objective
    from tandem.residency.scheduling.tools.generate import generate_instance

    hospitals = max(1, min(12, round(residents / 170)))
    instance = generate_instance("consortium", seed=1, residents=residents, hospitals=hospitals)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.monotonic()
    built = ScheduleModel(instance)
    built.add_rules()
    built.model.maximize(build_objective(built))
    model_seconds = time.monotonic() - started
    started = time.monotonic()
    form = linear_form(built.model)
    linear_seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "residents": residents,
        "hospitals": hospitals,
        "variables": len(built.x),
        "rows": form.num_rows,
        "model_seconds": model_seconds,
        "linear_seconds": linear_seconds,
        "memory_mb": peak - before,
        "peak_mb": peak,
    }


def build_table(sizes: Sequence[int]) -> list[str]:
    lines = [
        "| residents | hospitals | assignment variables | linear rows | CP-SAT model built "
        "| read back as LP | memory of the model | peak of the process |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for residents in sizes:
        command = [
            sys.executable, "-m", "tandem.residency.scheduling", "bench-families",
            "--build-worker", str(residents),
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            lines.append(f"| {residents} | failed: {done.stderr.strip()[-200:]} |")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        lines.append(
            f"| {r['residents']} | {r['hospitals']} | {r['variables']:,} | {r['rows']:,} "
            f"| {r['model_seconds']:.1f} s | {r['linear_seconds']:.1f} s "
            f"| {r['memory_mb']:.0f} MB | {r['peak_mb']:.0f} MB |"
        )
    return lines


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tandem.residency.scheduling bench-families")
    parser.add_argument("--families", default=",".join(FAMILIES), help=f"smoke: {SMOKE}")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--loads", default="idle,hog", help="idle, hog or both")
    parser.add_argument("--time-limit", type=float, help="seconds for every run (default: targets)")
    parser.add_argument("--hog", type=int, default=os.cpu_count() or 2, help="busy processes")
    parser.add_argument("--out", help="also write every run as a JSON line to this file")
    parser.add_argument("--build", help="instead: model building per size, e.g. 100,400,1000")
    parser.add_argument("--build-worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build_worker:
        print(json.dumps(_build_worker(args.build_worker)))
        return 0
    if args.build:
        for line in build_table([int(n) for n in args.build.split(",")]):
            print(line, flush=True)
        return 0
    from tandem.residency.scheduling.instance import instance_to_dict
    from tandem.residency.scheduling.tools.generate import generate_instance

    names = args.families.split(",")
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        parser.error(f"--families: unknown {', '.join(unknown)}; known: {', '.join(FAMILIES)}")
    loads = args.loads.split(",")
    if any(load not in ("idle", "hog") for load in loads):
        parser.error("--loads: expected idle, hog or idle,hog")
    seeds = [int(s) for s in args.seeds.split(",")]
    runs: list[dict[str, Any]] = []
    limits: dict[str, float] = {}
    out = open(args.out, "a", encoding="utf-8") if args.out else None  # noqa: SIM115
    with tempfile.TemporaryDirectory() as folder:
        files: dict[tuple[str, int], tuple[Path, int]] = {}
        for name in names:
            size, shape = FAMILIES[name]
            for seed in seeds:
                instance = generate_instance(size, seed=seed, **shape)
                path = Path(folder) / f"{name}-{seed}.json"
                path.write_text(json.dumps(instance_to_dict(instance)), encoding="utf-8")
                files[name, seed] = (path, len(instance.residents))
            limits[name] = args.time_limit or default_limit(files[name, seeds[0]][1])
        for load in loads:
            hog = cpu_hog(args.hog) if load == "hog" else _nothing()
            with hog:
                for name in names:
                    for seed in seeds:
                        path, residents = files[name, seed]
                        run = run_once(path, limits[name])
                        run.update(family=name, seed=seed, load=load, residents=residents)
                        runs.append(run)
                        print(json.dumps(run), file=sys.stderr, flush=True)
                        if out is not None:
                            out.write(json.dumps(run) + "\n")
                            out.flush()
    if out is not None:
        out.close()
    for line in summarize(runs, limits):
        print(line)
    return 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield
