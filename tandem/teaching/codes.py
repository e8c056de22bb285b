"""The sign-in code: six digits that change every 30 seconds (decision 108).

Like TOTP (RFC 6238): HMAC-SHA256 of the activity's secret and the number of the 30-second
step since the epoch, truncated dynamically to six digits. A code is accepted during its own
step and the next one (a resident who read it just before it changed still gets in), never
later: a code passed on to someone in the dormitory is useless within a minute.
"""

import datetime
import hashlib
import hmac
import struct

STEP_SECONDS = 30
DIGITS = 6
# Steps older than the accepted ones that still count as "expired" rather than "wrong".
RECENT_STEPS = 20


def step_of(moment: datetime.datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    digest = hmac.new(bytes.fromhex(secret), struct.pack(">Q", step), hashlib.sha256).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_code(secret: str, moment: datetime.datetime) -> str:
    return code_at(secret, step_of(moment))


def seconds_left(moment: datetime.datetime) -> int:
    """Seconds until the shown code changes (1–30)."""
    return STEP_SECONDS - int(moment.timestamp()) % STEP_SECONDS


def normalise(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


class Verdict:
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    WRONG = "wrong"


def check(secret: str, code: str, moment: datetime.datetime) -> str:
    """ACCEPTED for the code of the current or the previous step, EXPIRED for the code of an
    older recent step, WRONG otherwise. Compared in constant time."""
    given = normalise(code)
    if len(given) != DIGITS:
        return Verdict.WRONG
    now = step_of(moment)
    for step in (now, now - 1):
        if hmac.compare_digest(code_at(secret, step), given):
            return Verdict.ACCEPTED
    for step in range(now - 2, now - 2 - RECENT_STEPS, -1):
        if hmac.compare_digest(code_at(secret, step), given):
            return Verdict.EXPIRED
    return Verdict.WRONG


def matches_now(secret: str, code: str, moment: datetime.datetime) -> bool:
    return check(secret, code, moment) == Verdict.ACCEPTED
