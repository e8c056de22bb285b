"""Command line: ``solve``, ``check``, ``generate`` and ``bench``.

Exit codes: 0 success (``solve``: a schedule was found; ``check``: nothing broken), 1 no
schedule / broken rules, 2 malformed input (the message names the field).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tandem.residency.scheduling.instance import (
    Instance,
    InstanceError,
    Solution,
    parse_instance,
    parse_solution,
    solution_to_dict,
)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_MALFORMED = 2

# Kept back from --time-limit for what comes after the solve (stopping what still runs,
# writing the solution), so that the whole command returns within the limit and a little.
WRITE_RESERVE = 0.5


def seconds_since_process_start() -> float:
    """How long this process has run (Linux /proc; 0 where that is not available)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")  # field 22 of stat: starttime
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, uptime - started)


class _Malformed(Exception):
    pass


def _read_json(path: str, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise _Malformed(f"{what} {path}: cannot read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Malformed(f"{what} {path}: not valid JSON: {exc}") from exc


def _load_instance(path: str) -> Instance:
    try:
        return parse_instance(_read_json(path, "instance"))
    except InstanceError as exc:
        raise _Malformed(f"instance {path}: {exc}") from exc


def _load_solution(path: str, what: str = "solution") -> Solution:
    try:
        return parse_solution(_read_json(path, what))
    except InstanceError as exc:
        raise _Malformed(f"{what} {path}: {exc}") from exc


def _report_progress(progress: Any) -> None:
    from tandem.residency.scheduling.solver import Progress

    assert isinstance(progress, Progress)
    incumbent = "-" if progress.objective is None else str(progress.objective)
    bound = "-" if progress.bound is None else str(progress.bound)
    kind = "incumbent" if progress.objective is not None else "bound"
    if progress.objective is None and progress.bound is None:
        kind = "searching"
    print(
        f"[{progress.seconds:8.2f}s] {kind:9} objective {incumbent:>10}  bound {bound:>10}",
        file=sys.stderr,
        flush=True,
    )


def _solve(args: argparse.Namespace) -> int:
    from tandem.residency.scheduling.solver import SolveOptions, solve

    if not args.time_limit > 0:
        raise _Malformed(
            f"--time-limit: must be a positive number of seconds, got {args.time_limit}"
        )
    # The limit is for the whole command: interpreter start-up, reading and parsing count.
    command_started = time.monotonic() - seconds_since_process_start()
    deadline = command_started + args.time_limit
    instance = _load_instance(args.instance)
    previous = None
    if args.previous:
        previous_solution = _load_solution(args.previous, "previous solution")
        if previous_solution.assignments is None:
            raise _Malformed(f"previous solution {args.previous}: assignments: missing")
        previous = previous_solution.assignments
    elif args.minimize_changes:
        raise _Malformed("--minimize-changes needs --previous SOLUTION.json")
    options = SolveOptions(
        time_limit=max(0.0, deadline - WRITE_RESERVE - time.monotonic()),
        seed=args.seed,
        previous=previous,
        minimize_changes=args.minimize_changes,
        progress=None if args.quiet else _report_progress,
        engine=args.engine,
        **({"num_workers": args.workers} if args.workers else {}),
    )
    started_solve = time.monotonic()
    result = solve(instance, options)
    solution = result.solution
    print(json.dumps(solution_to_dict(solution), indent=1))
    print(
        f"status {solution.status}, objective {solution.objective}, bound {solution.bound}, "
        f"{solution.wall_seconds:.2f}s",
        file=sys.stderr,
    )
    if result.first_solution_seconds is not None:
        since_start = result.first_solution_seconds + (started_solve - command_started)
        print(
            f"first schedule after {result.first_solution_seconds:.2f}s of solving, "
            f"{since_start:.2f}s after the command started",
            file=sys.stderr,
        )
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if result.changed_assignments is not None:
        print(f"changed assignments versus previous: {result.changed_assignments}", file=sys.stderr)
    for conflict in solution.conflicts:
        print(f"conflict: {conflict}", file=sys.stderr)
    return EXIT_OK if solution.assignments is not None else EXIT_FAILED


def _check(args: argparse.Namespace) -> int:
    from tandem.residency.scheduling.checker import check_schedule

    instance = _load_instance(args.instance)
    solution = _load_solution(args.solution)
    report = check_schedule(instance, solution)
    for problem in report.problems:
        print(problem)
    print(f"objective recomputed: {report.objective}")
    print("OK" if report.ok else f"{len(report.problems)} problem(s)")
    return EXIT_OK if report.ok else EXIT_FAILED


def _generate(args: argparse.Namespace) -> int:
    from tandem.residency.scheduling.instance import instance_to_dict
    from tandem.residency.scheduling.tools.generate import SIZES, generate_instance

    if args.size not in SIZES:
        raise _Malformed(f"size: expected one of {', '.join(SIZES)}, got {args.size!r}")
    shape = {key: value for key in SHAPE_OPTIONS if (value := getattr(args, key)) is not None}
    try:
        instance = generate_instance(args.size, seed=args.seed, **shape)
    except ValueError as exc:
        raise _Malformed(f"--{str(exc).replace('_', '-')}") from exc
    except RuntimeError as exc:  # the planting gave up: a shape too tight for its programs
        raise _Malformed(f"shape: {exc}") from exc
    print(json.dumps(instance_to_dict(instance)))
    return EXIT_OK


# generate's shape options (fields of generate.Size) and their help.
SHAPE_OPTIONS: dict[str, tuple[type, str]] = {
    "residents": (int, "number of residents, e.g. 10 to 1500"),
    "hospitals": (int, "number of hospitals (sites), 1 to 12"),
    "blocks": (int, "blocks in the year, 13 to 52 (requirements scale with it)"),
    "extra_rotations": (int, "electives added to every hospital's catalogue, 0 to 10"),
    "capacity": (str, "staffing ranges: planted (default), tight or loose"),
    "duration": (int, "blocks of CARD and ONC (rotations lasting several blocks), 1 to 4"),
    "idle_share": (float, "share of residents whose program may idle, 0 to 1"),
    "stint_share": (float, "chance that a preference counts per stint, 0 to 1"),
    "site_change": (int, "site-change points drawn from -1..-N (0: none)"),
    "gap": (int, "gap points of residents who may idle (0: none)"),
    "fairness": (int, "fairness weight"),
    "programs": (str, "default, many (small programs, five years) or few (one per site)"),
    "leave": (str, "none, normal or heavy"),
    "pins": (float, "chance that a resident has a pinned block, 0 to 1"),
    "exchange_slack": (int, "seats added to every exchange quota between hospitals"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tandem.residency.scheduling", description="Residency rotation scheduling"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    solve_cmd = commands.add_parser("solve", help="solve an instance; solution JSON on stdout")
    solve_cmd.add_argument("instance")
    solve_cmd.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    solve_cmd.add_argument("--seed", type=int, default=0)
    solve_cmd.add_argument("--previous", help="a previous solution: hints and change counting")
    solve_cmd.add_argument(
        "--minimize-changes",
        action="store_true",
        help="change as few cells of --previous as possible",
    )
    solve_cmd.add_argument("--workers", type=int, default=0, help="CP-SAT workers (default tuned)")
    solve_cmd.add_argument(
        "--engine",
        choices=("auto", "cp-sat", "hybrid"),
        default="auto",
        help="auto (default): CP-SAT for small instances and re-solves, else HiGHS on parts",
    )
    solve_cmd.add_argument("--quiet", action="store_true", help="no progress on stderr")
    check_cmd = commands.add_parser("check", help="list every broken rule of a solution")
    check_cmd.add_argument("instance")
    check_cmd.add_argument("solution")
    gen_cmd = commands.add_parser("generate", help="print a generated instance")
    gen_cmd.add_argument("size", help="small, medium, large or consortium")
    gen_cmd.add_argument("--seed", type=int, default=1)
    for key, (kind, text) in SHAPE_OPTIONS.items():
        gen_cmd.add_argument(f"--{key.replace('_', '-')}", dest=key, type=kind, help=text)
    commands.add_parser("bench", help="compare solvers; see --help", add_help=False)
    commands.add_parser(
        "bench-families", help="families x seeds, idle and under load; see --help", add_help=False
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "bench":
        from tandem.residency.scheduling.tools.bench import main as bench_main

        return bench_main(argv[1:])
    if argv and argv[0] == "bench-families":
        from tandem.residency.scheduling.tools.families import main as families_main

        return families_main(argv[1:])
    args = build_parser().parse_args(argv)
    handlers = {"solve": _solve, "check": _check, "generate": _generate}
    try:
        return handlers[args.command](args)
    except _Malformed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_MALFORMED
