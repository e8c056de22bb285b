"""The load benchmark: a province on PostgreSQL, gunicorn as in production, 20 people at once.

    DATABASE_URL=postgres://… python benchmarks/load.py [--trainees 20000] [--users 20]
        [--minutes 2] [--workers 2] [--port 8765]

1. migrates and loads `seed_scale --trainees N` (skipped when already loaded), collects static;
2. gives a benchmark password to a few people of every role (admin, coordinators, tutors,
   trainees) and writes, per person, the pages they use (a series they see, their workspace…);
3. starts gunicorn (DEBUG off, persistent connections) and waits for /healthz;
4. runs locust headless (`benchmarks/locustfile.py`) and prints p50/p95/max per page and the
   throughput; the yardstick is the "cheap" page (an authenticated page that reads almost
   nothing), against which the issue's bounds are set (median ≤ 3×, p95 ≤ 5×).

Nothing here is imported by the application; results and the command go in docs/benchmarks.md.
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "tandem-benchmark-only"
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "tandem-benchmark-only-not-a-secret",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
}


def _manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _people(per_role: int) -> list[dict[str, object]]:
    """Sign-in names and the pages of a few people per role (Django set up in this process)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse

    from tandem.accounts.models import Membership, Role, User
    from tandem.cultivation.models import TutorAssignment
    from tandem.meetings.selectors import series_list_visible_to

    admin, _ = User.objects.get_or_create(
        username="scale-admin", defaults={"full_name": "Scale Consortium Admin"}
    )
    Membership.objects.get_or_create(user=admin, role=Role.CONSORTIUM_ADMIN)
    tutors = list(
        User.objects.filter(username__startswith="scale-tutor-", tutor_assignments__isnull=False)
        .distinct()
        .order_by("id")[:per_role]
    )
    chosen = {
        "admin": [admin],
        "coordinator": list(
            User.objects.filter(username__startswith="scale-coord-").order_by("id")[:per_role]
        ),
        "tutor": tutors,
        "trainee": list(
            User.objects.filter(
                username__startswith="scale-trainee-", meeting_participations__isnull=False
            ).order_by("id")[:per_role]
        ),
    }
    hashed = make_password(PASSWORD)
    people = []
    for role, users in chosen.items():
        for user in users:
            User.objects.filter(pk=user.pk).update(password=hashed)
            # A series this person sees (through the selector: never a 404 in the mix).
            series = (
                series_list_visible_to(user).order_by("id").values_list("id", flat=True).first()
            )
            pages = {
                "dashboard": "/",
                "meetings": reverse("meetings:list"),
                "cultivation": reverse("cultivation:list"),
                "plans": "/plans/",
                "alerts": "/alerts/",
                "people": "/people/",
                "log": reverse("meetings:contact_list"),
                "api": "/api/v1/meetings/series",
                "cheap": reverse("meetings:calendar"),
            }
            if series:
                pages["series"] = reverse("meetings:series_detail", args=[series])
            if role == "tutor" and TutorAssignment.objects.filter(tutor=user).exists():
                pages["workspace"] = reverse("cultivation:workspace")
            people.append({"username": user.username, "role": role, "pages": pages})
    # Roles interleaved, so that any number of simulated users mixes them.
    by_role = {role: [p for p in people if p["role"] == role] for role in chosen}
    mixed = []
    for i in range(per_role):
        mixed += [group[i] for group in by_role.values() if i < len(group)]
    return mixed


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (localhost)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds:.0f} s")


def _report(stats_csv: Path, seconds: float) -> str:
    """p50/p95/max per page, each against the cheap page of the same run, and throughput
    (pages only: signing in is reported but not counted)."""
    with stats_csv.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Name"] != "Aggregated"]
    cheap = next((r for r in rows if r["Name"] == "cheap"), None)
    base50 = float(cheap["50%"]) if cheap else 0.0
    base95 = float(cheap["95%"]) if cheap else 0.0
    lines = [
        f"{'page (role)':30} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'p50 ×':>6} {'p95 ×':>6}"
    ]
    pages = 0
    for row in sorted(rows, key=lambda r: r["Name"]):
        p50, p95 = float(row["50%"]), float(row["95%"])
        ratio50 = f"{p50 / base50:6.1f}" if base50 else "     -"
        ratio95 = f"{p95 / base95:6.1f}" if base95 else "     -"
        lines.append(
            f"{row['Name']:30} {row['Request Count']:>8} {row['Failure Count']:>5} "
            f"{p50:>7.0f} {p95:>7.0f} {float(row['Max Response Time']):>7.0f} {ratio50} {ratio95}"
        )
        if row["Name"] not in ("login form", "sign in"):
            pages += int(row["Request Count"])
    lines.append(f"throughput: {pages / seconds:.1f} pages/s over {seconds:.0f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trainees", type=int, default=20000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--per-role", type=int, default=10)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (the benchmark's scale).")

    env = {**os.environ, **SERVER_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    os.environ.update(SERVER_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    _manage("migrate", "--noinput", "-v0", env=env)
    _manage("seed_scale", "--trainees", str(args.trainees), env=env)
    _manage("collectstatic", "--noinput", "-v0", env=env)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as tmp:
        people_file = Path(tmp) / "people.json"
        people_file.write_text(json.dumps(_people(args.per_role)), encoding="utf-8")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                f"--workers={args.workers}",
                f"--bind=127.0.0.1:{args.port}",
                "--timeout=120",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            host = f"http://127.0.0.1:{args.port}"
            _wait_for(f"{host}/healthz", 120)
            seconds = args.minutes * 60
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "benchmarks" / "locustfile.py"),
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={args.users}",
                    f"--run-time={int(seconds)}s",
                    f"--host={host}",
                    f"--csv={tmp}/load",
                    "--only-summary",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env={
                    **env,
                    "TANDEM_BENCH_PEOPLE": str(people_file),
                    "TANDEM_BENCH_PASSWORD": PASSWORD,
                },
                check=False,
                stdout=subprocess.DEVNULL,
            )
            print(_report(Path(tmp) / "load_stats.csv", seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
