"""API schemas of the rewards app (names prefixed with Rewards, unique in the project)."""

import datetime

from ninja import Field, Schema


class RewardsRoundOut(Schema):
    id: int
    institution_id: int
    consortium_wide: bool
    kind: str
    nominee_kind: str
    title: str
    title_zh: str
    criteria: str
    criteria_zh: str
    nominations_open: datetime.date
    nominations_close: datetime.date
    objection_days: int
    announced_on: datetime.date | None
    objection_until: datetime.date | None
    cancelled_at: datetime.datetime | None
    cancel_reason: str
    member_ids: list[int]


class RewardsRoundIn(Schema):
    institution_id: int
    kind: str
    nominee_kind: str
    title: str = ""
    title_zh: str = ""
    criteria: str = ""
    criteria_zh: str = ""
    nominations_open: datetime.date | None = None
    nominations_close: datetime.date | None = None
    objection_days: int = 5
    consortium_wide: bool = False
    member_ids: list[int] = Field(default_factory=list, max_length=50)


class RewardsMemberIn(Schema):
    user_id: int


class RewardsReasonIn(Schema):
    reason: str = ""


class RewardsRoundUpdateIn(Schema):
    """Only the fields sent change; the kind, who can be nominated and the institution never."""

    title: str | None = None
    title_zh: str | None = None
    criteria: str | None = None
    criteria_zh: str | None = None
    nominations_open: datetime.date | None = None
    nominations_close: datetime.date | None = None
    objection_days: int | None = None


class RewardsNominationIn(Schema):
    nominee_ids: list[int] = Field(default_factory=list, max_length=2)
    statement: str = ""


class RewardsEvidenceIn(Schema):
    description: str = ""
    reference_kind: str = ""
    reference_id: int | None = None


class RewardsEvidenceOut(Schema):
    id: int
    description: str
    reference_kind: str
    reference_id: int | None
    has_file: bool


class RewardsNominationOut(Schema):
    id: int
    round_id: int
    nominee_ids: list[int]
    nominated_by_id: int
    statement: str
    status: str
    nominated_at: datetime.datetime
    votes_for: int
    eligible: int
    final_on: datetime.date | None
    evidence: list[RewardsEvidenceOut]


class RewardsVoteIn(Schema):
    choice: str = ""
    comment: str = ""


class RewardsVoteOut(Schema):
    nomination_id: int
    choice: str
    comment: str
    cast_at: datetime.datetime


class RewardsObjectionIn(Schema):
    grounds: str = ""


class RewardsAnswerIn(Schema):
    answer: str = ""
    upheld: bool | None = None


class RewardsObjectionOut(Schema):
    id: int
    nomination_id: int
    grounds: str
    lodged_at: datetime.datetime
    answer: str
    upheld: bool | None
    answered_at: datetime.datetime | None
    objector_id: int | None = None  # the committee's to know; null for everyone else


class RewardsAwardOut(Schema):
    nomination_id: int
    nominees: list[str]
    status: str
    objections: int
    unanswered: int


class RewardsAnnouncementOut(Schema):
    round_id: int
    institution_id: int
    title: str
    kind: str
    criteria: str
    criteria_zh: str
    announced_on: datetime.date
    objection_until: datetime.date
    awards: list[RewardsAwardOut]
