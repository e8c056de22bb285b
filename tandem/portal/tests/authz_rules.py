from tandem.core.tests.authz import SIGNED_IN, api, everyone_else, expect, page

# The tutors of the cast's joint trainee.
PAIR = ["tutor_a", "tutor_b"]
# Who reads the consortium's reports: the admin and every coordinator (C's included: the
# figures are the consortium's aggregates, suppressed below the threshold).
READERS = ["admin", "coord_a", "coord_b", "outsider"]

RULES = {
    "dashboard": page(expect=expect(ok=SIGNED_IN)),
    "portal:workspace": page(expect=expect(ok=PAIR, forbidden=everyone_else(PAIR))),
    "cultivation_workspace_list": api(
        "GET",
        lambda cast: "/api/v1/cultivation/workspace",
        expect(ok=PAIR, forbidden=everyone_else(PAIR), anonymous=401),
    ),
    "portal:benchmark": page(
        query="indicator=flows",
        expect=expect(ok=READERS, forbidden=everyone_else(READERS)),
    ),
    "portal:benchmark_export": page(expect=expect(ok=READERS, forbidden=everyone_else(READERS))),
    "reports_benchmark": api(
        "GET",
        lambda cast: "/api/v1/reports/benchmarks/milestones_on_time",
        expect(ok=READERS, forbidden=everyone_else(READERS), anonymous=401),
    ),
}
