"""One-time codes (decision 106): six digits, valid ten minutes, used once, stored only as a
keyed hash (HMAC-SHA256 with the site's secret key and the teacher's id), so a copy of the
database gives no working code."""

import hashlib
import hmac
import secrets

from django.conf import settings

CODE_DIGITS = 6
CODE_MINUTES = 10
MAX_CODE_TRIES = 5


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def code_hash(teacher_id: int, code: str) -> str:
    message = f"wba-code:{teacher_id}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalized(code: str) -> str:
    return "".join(ch for ch in str(code or "") if not ch.isspace())
