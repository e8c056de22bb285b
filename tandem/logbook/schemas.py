"""API schemas of the logbook app (names prefixed with Logbook, unique in the project).

No schema has a patient field on the way out: the record number goes in, a hash is kept,
nothing comes back but whether the entry looks like a duplicate."""

import datetime

from ninja import Schema


class LogbookEntryOut(Schema):
    id: int
    resident_id: int
    department_id: int
    item_id: int
    item_code: str
    role: int
    date: datetime.date
    note: str
    status: str
    reviewed_by_id: int | None
    reviewed_at: datetime.datetime | None
    review_comment: str

    @staticmethod
    def resolve_item_code(obj: object) -> str:
        return obj.item.code  # type: ignore[attr-defined]


class LogbookEntryLoggedOut(LogbookEntryOut):
    duplicates: int


class LogbookEntryIn(Schema):
    department_id: int
    item_id: int
    role: int
    date: datetime.date
    patient_ref: str
    note: str = ""


class LogbookReviewIn(Schema):
    verify: bool
    comment: str = ""


class LogbookBulkReviewIn(LogbookReviewIn):
    entry_ids: list[int]


class LogbookSkippedOut(Schema):
    id: int
    message: str


class LogbookBulkReviewOut(Schema):
    done: list[int]
    skipped: list[LogbookSkippedOut]


class LogbookItemOut(Schema):
    id: int
    code: str
    name: str
    name_zh: str
    kind: str
    is_active: bool


class LogbookMinimumOut(Schema):
    item_id: int
    department_id: int | None
    role: int
    count: int


class LogbookCatalogueOut(Schema):
    id: int
    institution_id: int
    specialty: str
    name: str
    name_zh: str
    is_active: bool


class LogbookCatalogueDetailOut(LogbookCatalogueOut):
    items: list[LogbookItemOut]
    minimums: list[LogbookMinimumOut]


class LogbookStintOut(Schema):
    cohort_id: int
    department_id: int
    start: datetime.date
    end: datetime.date
    completion: float | None
    required: int
    met: int
    verified: int
    pending: int
    returned: int
