"""Every write of the quality app: keyword-only, `actor=` first, the permission predicate, then
validation naming what is wrong, atomic and audited."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.alerts.models import NotificationKind
from tandem.alerts.services import notification_send
from tandem.core.audit import audit_record
from tandem.core.errors import field_error
from tandem.core.uploads import upload_check
from tandem.evaluations.models import (
    EvaluationRound,
    EvaluationTemplate,
    ItemKind,
    PopulationKind,
    Relationship,
    RoundTemplate,
    TemplateItem,
    TemplateSection,
)
from tandem.evaluations.rotation import rotation_pair_add
from tandem.institutions.models import Unit
from tandem.quality import permissions, selectors
from tandem.quality.builtins import (
    BUILT_IN_INDICATORS,
    SUPERVISION_SCALE,
    SUPERVISION_SECTIONS,
    SUPERVISION_TITLE,
    SUPERVISION_TITLE_ZH,
)
from tandem.quality.models import (
    Evidence,
    Indicator,
    IndicatorList,
    Observation,
    PeriodUnit,
    Rectification,
    RectificationStatus,
    SelfAssessment,
    SelfAssessmentStatus,
    SelfScore,
    Standard,
    StandardKind,
    Supervisor,
)
from tandem.teaching.models import Activity, ActivityKind


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _require_manager(actor: User, base: Unit) -> None:
    if not permissions.can_manage_base(actor, base):
        raise PermissionDenied(
            _("Only the training office or the director of the base can do this.")
        )


# --------------------------------------------------------------------------- standards


@transaction.atomic
def standard_add(
    *,
    actor: User,
    base: Unit,
    kind: str,
    activity_kind: ActivityKind | None = None,
    count: Any = 1,
    period: Any = 1,
    unit: str = PeriodUnit.WEEK,
    within_days: Any = 3,
) -> Standard:
    """A standard of the base. Frequency needs a kind of activity offered at the base; the
    numbers are whole and within their bounds."""
    _require_manager(actor, base)
    errors: dict[str, list[str]] = {}
    if kind not in StandardKind.values:
        errors["kind"] = [_("Choose the kind of standard.")]
    if unit not in PeriodUnit.values:
        errors["unit"] = [_("Choose days, weeks or months.")]

    def whole(name: str, value: Any, low: int, high: int, message: str) -> int:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = low - 1
        if not low <= number <= high:
            errors[name] = [message % {"low": low, "high": high}]
        return number

    count = whole("count", count, 1, 100, _("Give a whole number from %(low)s to %(high)s."))
    period = whole("period", period, 1, 52, _("Give a period from %(low)s to %(high)s."))
    within_days = whole(
        "within_days", within_days, 0, 60, _("Give a number of days from %(low)s to %(high)s.")
    )
    if unit == PeriodUnit.MONTH and isinstance(period, int) and period > 12:
        errors["period"] = [_("A period in months is at most 12 months.")]
    if kind == StandardKind.FREQUENCY:
        if activity_kind is None:
            errors["activity_kind"] = [_("Choose the kind of activity the standard counts.")]
        elif not selectors.activity_kinds_for(base).filter(pk=activity_kind.pk).exists():
            errors["activity_kind"] = [_("This kind of activity is not offered at this base.")]
    elif (
        kind == StandardKind.ORIENTATION
        and activity_kind is not None
        and not selectors.activity_kinds_for(base).filter(pk=activity_kind.pk).exists()
    ):
        errors["activity_kind"] = [_("This kind of activity is not offered at this base.")]
    _raise_if(errors)
    standard = Standard(
        base=base,
        kind=kind,
        activity_kind=activity_kind if kind != StandardKind.TEACHER_LOAD else None,
        count=count,
        period=period,
        unit=unit,
        within_days=within_days,
        created_by=actor,
    )
    standard.full_clean()
    standard.save()
    audit_record(
        actor=actor,
        action="quality_standard.add",
        target=standard,
        changes={"base": [None, str(base)], "standard": [None, str(standard)]},
    )
    return standard


@transaction.atomic
def standard_retire(*, actor: User, standard: Standard) -> Standard:
    _require_manager(actor, standard.base)
    standard.is_active = False
    standard.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="quality_standard.retire",
        target=standard,
        changes={"active": [True, False]},
    )
    return standard


@transaction.atomic
def supervisor_designate(*, actor: User, base: Unit, user: User | None) -> Supervisor:
    _require_manager(actor, base)
    if user is None or not selectors.supervisor_candidates(base).filter(pk=user.pk).exists():
        raise field_error(
            "user",
            _("Choose a teacher, tutor, director or coordinator of %(inst)s.")
            % {"inst": base.institution},
        )
    if Supervisor.objects.filter(base=base, user=user).exists():
        raise field_error("user", _("%(name)s already supervises this base.") % {"name": user})
    supervisor = Supervisor.objects.create(base=base, user=user, created_by=actor)
    audit_record(
        actor=actor,
        action="quality_supervisor.designate",
        target=supervisor,
        changes={"supervisor": [None, str(user)], "base": [None, str(base)]},
    )
    return supervisor


# --------------------------------------------------------------------------- supervision


def supervision_template_ensure(*, actor: User) -> EvaluationTemplate:
    """The built-in bilingual supervision form (a peer evaluation of the teacher), made the first
    time it is needed."""
    template = EvaluationTemplate.objects.filter(
        institution__isnull=True, title=SUPERVISION_TITLE, is_current=True
    ).first()
    if template is not None:
        return template
    template = EvaluationTemplate(
        institution=None,
        title=SUPERVISION_TITLE,
        title_zh=SUPERVISION_TITLE_ZH,
        relationship=Relationship.PEER,
        is_anonymous=False,
        created_by=actor,
    )
    template.full_clean(exclude=["family"])
    template.save()
    for s_index, (title, title_zh, items) in enumerate(SUPERVISION_SECTIONS):
        section = TemplateSection.objects.create(
            template=template, position=s_index, title=title, title_zh=title_zh
        )
        TemplateItem.objects.bulk_create(
            TemplateItem(
                template=template,
                section=section,
                position=i_index,
                code=code,
                kind=kind,
                prompt=prompt,
                prompt_zh=prompt_zh,
                options=SUPERVISION_SCALE if kind == ItemKind.RATING else [],
                is_required=kind == ItemKind.RATING,
            )
            for i_index, (code, kind, prompt, prompt_zh) in enumerate(items)
        )
    audit_record(
        actor=actor,
        action="quality_supervision_form.create",
        target=template,
        changes={"title": [None, template.title]},
    )
    return template


@transaction.atomic
def observation_start(*, actor: User, activity: Activity, summary: str = "") -> Observation:
    """The supervisor observes the activity: an observation with its scoring form (an engine
    round of its own with one pair, the supervisor evaluating the teacher)."""
    if not permissions.can_observe(actor, activity):
        raise PermissionDenied(_("Only a supervisor of the base observes its teaching."))
    if activity.teacher_id == actor.pk:
        raise field_error("activity", _("A supervisor does not observe their own activity."))
    if Observation.objects.filter(activity=activity, supervisor=actor).exists():
        raise field_error("activity", _("You already observe this activity."))
    template = supervision_template_ensure(actor=actor)
    day = timezone.localdate(activity.starts_at)
    institution_id = activity.department.base.institution_id
    round_ = EvaluationRound(
        title=f"{SUPERVISION_TITLE}: {activity.topic}"[:200],
        title_zh=f"{SUPERVISION_TITLE_ZH}：{activity.topic}"[:200],
        institution_id=institution_id,
        population=PopulationKind.INSTITUTION,
        opens_on=min(day, timezone.localdate()),
        due_on=max(day, timezone.localdate()) + datetime.timedelta(days=14),
        created_by=actor,
    )
    round_.full_clean()
    round_.save()
    RoundTemplate.objects.create(round=round_, relationship=Relationship.PEER, template=template)
    pair = rotation_pair_add(
        round_=round_,
        relationship=Relationship.PEER,
        evaluator_id=actor.pk,
        institution_id=institution_id,
        target_user_id=activity.teacher_id,
    )
    observation = Observation.objects.create(
        activity=activity, supervisor=actor, pair=pair, summary=(summary or "").strip()[:5000]
    )
    audit_record(
        actor=actor,
        action="quality_observation.start",
        target=observation,
        changes={"activity": [None, str(activity)], "teacher": [None, str(activity.teacher)]},
    )
    return observation


@transaction.atomic
def rectification_add(
    *,
    actor: User,
    observation: Observation,
    finding: str,
    owner: User | None,
    deadline: Any,
) -> Rectification:
    """A finding of the observation, owned by the activity's teacher, a teacher of its
    department or the base's director, due today or later."""
    if not permissions.can_record_findings(actor, observation):
        raise PermissionDenied(_("Only the supervisor who observed records its findings."))
    errors: dict[str, list[str]] = {}
    finding = (finding or "").strip()
    if not finding:
        errors["finding"] = [_("Say what was found.")]
    elif len(finding) > 2000:
        errors["finding"] = [_("Keep the finding under 2000 characters.")]
    if (
        owner is None
        or not selectors.owner_candidates(observation.activity).filter(pk=owner.pk).exists()
    ):
        errors["owner"] = [
            _(
                "The owner is the activity's teacher, a teacher of its department or the "
                "base's director."
            )
        ]
    if not isinstance(deadline, datetime.date):
        errors["deadline"] = [_("Give the deadline.")]
    elif deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    _raise_if(errors)
    assert owner is not None
    item = Rectification(
        observation=observation, finding=finding, owner=owner, deadline=deadline, created_by=actor
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="quality_rectification.add",
        target=item,
        changes={"owner": [None, str(owner)], "deadline": [None, deadline]},
    )
    _notify(item, owner.pk, "assigned")
    return item


def _notify(item: Rectification, user_id: int, step: str) -> None:
    """Tell the owner or the supervisor about a step of the item (in-app, e-mail as they chose)."""
    notification_send(
        users=[user_id],
        kind=NotificationKind.RECTIFICATION,
        params={
            "finding": item.finding[:120],
            "deadline": item.deadline.isoformat(),
            "step": step,
        },
        url=reverse("quality:item_detail", kwargs={"pk": item.pk}),
    )


def _locked(item: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("observation")
        .get(pk=item.pk)
    )


@transaction.atomic
def rectification_respond(*, actor: User, item: Rectification, response: str) -> Rectification:
    """The owner reports the action taken; the item waits for the supervisor."""
    item = _locked(item)
    if item.owner_id != actor.pk:
        raise PermissionDenied(_("Only the owner of the item reports the action taken."))
    if not permissions.can_respond(actor, item):
        raise ValidationError(_("This item is not open: it waits for the supervisor or is closed."))
    response = (response or "").strip()
    if not response:
        raise field_error("response", _("Say what action was taken."))
    item.status = RectificationStatus.RESPONDED
    item.response = response[:5000]
    item.responded_at = timezone.now()
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="quality_rectification.respond",
        target=item,
        changes={"status": [RectificationStatus.OPEN, RectificationStatus.RESPONDED]},
        reason=item.response,
    )
    _notify(item, item.observation.supervisor_id, "responded")
    return item


@transaction.atomic
def rectification_decide(
    *, actor: User, item: Rectification, accept: bool, note: str = ""
) -> Rectification:
    """The supervisor accepts the action taken, or returns the item to its owner saying what is
    missing."""
    item = _locked(item)
    if item.observation.supervisor_id != actor.pk:
        raise PermissionDenied(
            _("Only the supervisor who recorded the finding accepts or returns it.")
        )
    if not permissions.can_decide(actor, item):
        raise ValidationError(_("Only an item whose owner reported the action taken is decided."))
    note = (note or "").strip()
    if not accept and not note:
        raise field_error("note", _("Say what is missing when returning an item."))
    before = item.status
    if accept:
        item.status = RectificationStatus.ACCEPTED
        item.accepted_by, item.accepted_at = actor, timezone.now()
    else:
        item.status = RectificationStatus.OPEN
        item.return_note = note[:5000]
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="quality_rectification.accept" if accept else "quality_rectification.return",
        target=item,
        changes={"status": [before, item.status]},
        reason=note,
    )
    _notify(item, item.owner_id, "accepted" if accept else "returned")
    return item


# --------------------------------------------------------------------------- self-assessment


def indicator_list_ensure() -> IndicatorList:
    """The built-in example indicator list, made the first time it is needed."""
    found = IndicatorList.objects.filter(code="builtin").first()
    if found is not None:
        return found
    found = IndicatorList.objects.create(
        code="builtin",
        title="Residency training base: self-assessment indicators",
        title_zh="住院医师规范化培训基地自评指标",
    )
    Indicator.objects.bulk_create(
        Indicator(
            indicator_list=found,
            position=position,
            group=group,
            group_zh=group_zh,
            name=name,
            name_zh=name_zh,
            max_score=Decimal(max_score),
        )
        for position, (group, group_zh, name, name_zh, max_score) in enumerate(BUILT_IN_INDICATORS)
    )
    return found


@transaction.atomic
def self_assessment_create(*, actor: User, base: Unit, title: str = "") -> SelfAssessment:
    _require_manager(actor, base)
    title = (title or "").strip() or _("Self-assessment %(year)s") % {
        "year": timezone.localdate().year
    }
    assessment = SelfAssessment(
        base=base, indicator_list=indicator_list_ensure(), title=title[:200], created_by=actor
    )
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action="quality_self_assessment.create",
        target=assessment,
        changes={"title": [None, assessment.title], "base": [None, str(base)]},
    )
    return assessment


def _editable(actor: User, assessment: SelfAssessment) -> SelfAssessment:
    locked = SelfAssessment.objects.select_for_update().select_related("base").get(pk=assessment.pk)
    _require_manager(actor, locked.base)
    if not permissions.can_edit_self_assessment(actor, locked):
        raise ValidationError(_("This self-assessment was submitted: it can no longer change."))
    return locked


@transaction.atomic
def self_assessment_save(
    *, actor: User, assessment: SelfAssessment, scores: dict[int, tuple[Any, str]]
) -> SelfAssessment:
    """Scores (from 0 to the indicator's maximum, one decimal) and comments, by indicator id.
    Every wrong score is named; nothing is saved when one is wrong."""
    assessment = _editable(actor, assessment)
    indicators = {i.pk: i for i in selectors.indicators_of(assessment)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[Decimal | None, str]] = {}
    for indicator_id, (raw, comment) in scores.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            errors[f"score_{indicator_id}"] = [_("This indicator is not in the list.")]
            continue
        value: Decimal | None = None
        text = str(raw if raw is not None else "").strip()
        if text:
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = None
                errors[f"score_{indicator_id}"] = [
                    _("“%(indicator)s”: give a number.") % {"indicator": indicator}
                ]
                continue
            if (
                not value.is_finite()
                or value < 0
                or value > indicator.max_score
                or value != value.quantize(Decimal("0.1"))
            ):
                errors[f"score_{indicator_id}"] = [
                    _("“%(indicator)s”: give a score from 0 to %(max)s (one decimal at most).")
                    % {"indicator": indicator, "max": indicator.max_score}
                ]
                continue
        cleaned[indicator_id] = (value, (comment or "").strip()[:5000])
    _raise_if(errors)
    existing = {s.indicator_id: s for s in SelfScore.objects.filter(assessment=assessment)}
    changed = 0
    for indicator_id, (value, comment) in cleaned.items():
        row = existing.get(indicator_id)
        if row is None:
            SelfScore.objects.create(
                assessment=assessment, indicator_id=indicator_id, score=value, comment=comment
            )
            changed += 1
        elif row.score != value or row.comment != comment:
            row.score, row.comment = value, comment
            row.save(update_fields=["score", "comment"])
            changed += 1
    audit_record(
        actor=actor,
        action="quality_self_assessment.save",
        target=assessment,
        changes={"scores": [None, changed]},
    )
    return assessment


@transaction.atomic
def evidence_add(
    *, actor: User, assessment: SelfAssessment, indicator: Indicator | None, title: str, file: Any
) -> Evidence:
    """An evidence file (PDF, image, Word or Excel, not larger than the configured limit) for an
    indicator of a self-assessment still in progress."""
    assessment = _editable(actor, assessment)
    if indicator is None or indicator.indicator_list_id != assessment.indicator_list_id:
        raise field_error("indicator", _("Choose an indicator of this self-assessment."))
    name = upload_check(file, field="file")
    title = (title or "").strip() or name.rsplit(".", 1)[0]
    evidence = Evidence(
        assessment=assessment, indicator=indicator, title=title[:200], file=file, uploaded_by=actor
    )
    evidence.full_clean()
    evidence.save()
    audit_record(
        actor=actor,
        action="quality_evidence.add",
        target=assessment,
        changes={"evidence": [None, evidence.title], "indicator": [None, str(indicator)]},
    )
    return evidence


@transaction.atomic
def self_assessment_submit(*, actor: User, assessment: SelfAssessment) -> SelfAssessment:
    """Submit: every indicator needs a score; the submitted version is read-only."""
    assessment = _editable(actor, assessment)
    scored = set(
        SelfScore.objects.filter(assessment=assessment, score__isnull=False).values_list(
            "indicator_id", flat=True
        )
    )
    missing = [str(i) for i in selectors.indicators_of(assessment) if i.pk not in scored]
    if missing:
        raise field_error(
            "scores",
            _("Score every indicator before submitting; still without a score: %(list)s.")
            % {"list": "; ".join(missing[:5]) + ("…" if len(missing) > 5 else "")},
        )
    assessment.status = SelfAssessmentStatus.SUBMITTED
    assessment.submitted_by, assessment.submitted_at = actor, timezone.now()
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action="quality_self_assessment.submit",
        target=assessment,
        changes={"status": [SelfAssessmentStatus.DRAFT, SelfAssessmentStatus.SUBMITTED]},
    )
    return assessment
