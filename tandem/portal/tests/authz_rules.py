from tandem.core.tests.authz import SIGNED_IN, api, everyone_else, expect, page
from tandem.portal.tests.reports import cast_report

# The tutors of the cast's joint trainee.
PAIR = ["tutor_a", "tutor_b"]
# Who reads the consortium's reports: the admin and every coordinator (C's included: the
# figures are the consortium's aggregates, suppressed below the threshold).
READERS = ["admin", "coord_a", "coord_b", "outsider"]
A_REPORT = ["admin", "coord_a"]

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
    "portal:annual_reports": page(expect=expect(ok=READERS, forbidden=everyone_else(READERS))),
    # A's report: A's coordinator and the admin; everyone else as if it did not exist.
    **{
        name: page(
            kwargs=lambda cast: {"pk": cast_report(cast).pk},
            expect=expect(ok=A_REPORT, hidden=everyone_else(A_REPORT)),
        )
        for name in (
            "portal:annual_report",
            "portal:annual_report_pdf",
            "portal:annual_report_xlsx",
        )
    },
}
