"""The vocabulary of the authorization matrix.

Each app lists, in `tests/authz_rules.py`, one `Rule` per URL name (pages) and per API
`operation_id`. A rule says how to call the endpoint for the fixed cast and what every actor of
the cast must get. `test_authorization_matrix` fails for any endpoint without a rule, and for any
rule that leaves an actor out.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tandem.core.tests.cast import ACTORS, Cast

OK, CREATED, REDIRECT, NO_CONTENT = 200, 201, 302, 204
FORBIDDEN, NOT_FOUND, UNAUTHORIZED = 403, 404, 401


@dataclass(frozen=True)
class Rule:
    """How to call one endpoint and what each actor gets.

    `kwargs(cast)` gives the URL kwargs (pages) or the path parameters (API); `data(cast)` the
    form or JSON body for writes. `expect` maps every actor in ACTORS to a status code.
    `path(cast)`, when given, is used instead of reversing the URL (for the API).
    """

    method: str
    expect: dict[str, int]
    kwargs: Callable[[Cast], dict[str, Any]] = lambda cast: {}
    data: Callable[[Cast], dict[str, Any]] | None = None
    path: Callable[[Cast], str] | None = None
    query: str = ""
    note: str = ""
    is_api: bool = False
    public: bool = False  # anonymous visitors are served, not sent to the login page
    extra_headers: dict[str, str] = field(default_factory=dict)


def expect(
    *,
    ok: list[str] | tuple[str, ...] = (),
    forbidden: list[str] | tuple[str, ...] = (),
    hidden: list[str] | tuple[str, ...] = (),
    ok_status: int = OK,
    anonymous: int = REDIRECT,
) -> dict[str, int]:
    """Build an expectation: `ok` actors get ok_status, `forbidden` 403, `hidden` 404, and the
    anonymous visitor `anonymous` (a redirect to the login page, or 401 in the API)."""
    result: dict[str, int] = {"anonymous": anonymous}
    for names, status in ((ok, ok_status), (forbidden, FORBIDDEN), (hidden, NOT_FOUND)):
        for name in names:
            if name in result and name != "anonymous":
                raise ValueError(f"actor {name} listed twice")
            result[name] = status
    return result


SIGNED_IN = tuple(a for a in ACTORS if a != "anonymous")


def everyone_else(*listed: list[str] | tuple[str, ...]) -> list[str]:
    """The signed-in actors not named in any of `listed`."""
    named = {name for group in listed for name in group}
    return [a for a in SIGNED_IN if a not in named]


def page(method: str = "GET", **kwargs: Any) -> Rule:
    return Rule(method=method, **kwargs)


def api(method: str, path: Callable[[Cast], str], expect: dict[str, int], **kwargs: Any) -> Rule:
    return Rule(method=method, path=path, expect=expect, is_api=True, **kwargs)
