from tandem.core.tests.authz import SIGNED_IN, api, everyone_else, expect, page

# The tutors of the cast's joint trainee.
PAIR = ["tutor_a", "tutor_b"]

RULES = {
    "dashboard": page(expect=expect(ok=SIGNED_IN)),
    "portal:workspace": page(expect=expect(ok=PAIR, forbidden=everyone_else(PAIR))),
    "cultivation_workspace_list": api(
        "GET",
        lambda cast: "/api/v1/cultivation/workspace",
        expect(ok=PAIR, forbidden=everyone_else(PAIR), anonymous=401),
    ),
}
