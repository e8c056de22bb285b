"""Sealing an anonymous item's id for its raiser's account (decision 083).

`sealed = id XOR HMAC-SHA256(SECRET_KEY, "tandem.feedback.follow:" + nonce)[:8]`: only the
application, holding the secret key, turns a follow row back into an item id; someone reading
the database (or a dump of it) cannot link the two tables.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

_SALT = b"tandem.feedback.follow:"


def _pad(nonce: str) -> int:
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, _SALT + nonce.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")


def seal(item_id: int) -> tuple[str, str]:
    """A fresh (nonce, sealed) pair for `item_id`."""
    nonce = secrets.token_hex(16)
    return nonce, f"{item_id ^ _pad(nonce):016x}"


def unseal(nonce: str, sealed: str) -> int:
    return int(sealed, 16) ^ _pad(nonce)
