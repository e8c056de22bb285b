"""Demo logins: accounts with a known username and password.

No service makes such an account (an invitation makes one without a password, named after its
e-mail address), so the demo makes the account row here and gives every role and profile through
the services of this app. Also here: the small PDF the demos attach, and the demo people's
calendar feeds.
"""

from collections.abc import Callable, Mapping
from typing import Any

from tandem.accounts import services_feed
from tandem.accounts.models import User

DEMO_EMAIL_DOMAIN = "@demo.tandem.invalid"


def demo_account(username: str, full_name: str, password_hash: str, language: str) -> User:
    return User.objects.create(
        username=username,
        full_name=full_name,
        email=f"{username}{DEMO_EMAIL_DOMAIN}",
        password=password_hash,
        preferred_language=language,
    )


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF saying `title` (ASCII), for the demo's attachments: real
    files a browser opens, made without the PDF tooling's start-up cost."""
    text = "".join(ch for ch in title if 32 <= ord(ch) < 127)
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def load_calendar_feeds(sources: Mapping[str, Callable[[User], list[Any]]]) -> None:
    """Every demo person who has something in a calendar subscribes to their feed, carrying the
    calendars that have their events: `sources` maps each feed scope to the function listing a
    person's events in it (the portal's, so the feed and the demo agree on who has a calendar).
    The address is made through the service, as the person's "new address" button does; a
    person who already has a feed keeps it."""
    people = (
        User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN, is_active=True)
        .exclude(calendar_feed__isnull=False)
        .order_by("username")
    )
    for person in people:
        scopes = [scope for scope, events_of in sources.items() if events_of(person)]
        if scopes:
            services_feed.calendar_feed_rotate(actor=person, scopes=scopes)
