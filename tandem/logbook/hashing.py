"""The patient reference of a log entry: a keyed hash, never the record number (decision 101).

HMAC-SHA256 over the hospital's id and the normalised record number, with
`settings.LOGBOOK_PATIENT_KEY` (from the environment); without one, a key derived from
SECRET_KEY for this purpose only. The same record number at the same hospital always gives the
same hash, so a duplicate entry is found; without the key the hash cannot be turned back into a
number by trying all of them (hospital record numbers are short).
"""

import hashlib
import hmac
import re

from django.conf import settings

_SPACES = re.compile(r"[\s\-_/]+")


def _key() -> bytes:
    configured = getattr(settings, "LOGBOOK_PATIENT_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"tandem.logbook.patient-reference", hashlib.sha256
    ).digest()


def normalise(record_number: str) -> str:
    """Case, spaces and separators do not make a different patient: "mrn 00-123" is MRN00123."""
    return _SPACES.sub("", record_number or "").upper()


def patient_hash(institution_id: int, record_number: str) -> str:
    message = f"{institution_id}:{normalise(record_number)}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()
