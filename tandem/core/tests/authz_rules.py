from tandem.core.tests.authz import OK, REDIRECT, SIGNED_IN, page

RULES = {
    # Health checks are for load balancers: open to all, they reveal nothing.
    "healthz": page(expect=dict.fromkeys(("anonymous", *SIGNED_IN), OK)),
    # Anyone may switch the language; the view redirects back.
    "set_language": page(
        method="POST",
        data=lambda cast: {"language": "zh-hans", "next": "/"},
        expect=dict.fromkeys(("anonymous", *SIGNED_IN), REDIRECT),
        public=True,
    ),
}
