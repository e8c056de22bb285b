"""API schemas of the conduct app (names prefixed with Conduct, unique in the project)."""

import datetime

from ninja import Schema


class ConductCaseOut(Schema):
    id: int
    trainee_id: int
    cultivation_id: int
    institution_id: int
    article_version_id: int
    committee_id: int
    conduct_date: datetime.date
    facts: str
    proposed_level: str
    status: str
    response_due: datetime.date
    response: str
    responded_at: datetime.datetime | None
    waived_at: datetime.datetime | None
    hearing_at: datetime.datetime | None
    comment: str
    outcome: str
    reasons: str
    decided_at: datetime.datetime | None
    appeal_body_id: int | None
    appeal_due: datetime.date | None
    in_force_from: datetime.date | None
    review_date: datetime.date | None
    lifted_at: datetime.datetime | None


class ConductCaseOpenIn(Schema):
    cultivation_id: int
    article_id: int
    committee_id: int
    conduct_date: datetime.date | None = None
    facts: str = ""
    proposed_level: str = ""


class ConductRespondIn(Schema):
    response: str = ""
    waive: bool = False
    hearing: bool = False


class ConductTextIn(Schema):
    text: str = ""


class ConductVoteIn(Schema):
    level: str = ""


class ConductDecideIn(Schema):
    outcome: str = ""
    reasons: str = ""
    appeal_body_id: int | None = None
    review_months: int | None = None


class ConductAppealDecideIn(Schema):
    outcome: str = ""
    reasons: str = ""
    reduced_to: str = ""


class ConductLiftIn(Schema):
    reasons: str = ""
    early: bool = False


class ConductRegulationOut(Schema):
    id: int
    institution_id: int
    title: str
    title_zh: str
    response_days: int
    appeal_days: int


class ConductCountOut(Schema):
    institution_id: int
    institution: str
    total: int | None
    open: int | None
    in_force: int | None
