"""Who gets what on every joint cultivation page and API operation (see tandem/core/tests/authz.py).

The cultivation: the cast's trainee, enrolled at A (home), researching at B (host) under
agreement_ab; tutor_b is the experimental tutor at B, tutor_a the theoretical tutor at A.

Visible to: admin, the staff of A and B, the trainee; the resident (a trainee at A, not in this
cultivation) and the outsider get 404. Decisions: the coordinators of A and B and the admin
(suspending, completing, terminating: a side's coordinator asks, the other side's answers);
approvals for an institution only its coordinator (not the admin); signing the division only
the two current tutors. Tutor development (trainings, load): the tutor, coordinators of the
tutor's and partner institutions, the admin.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.accounts.models import TraineeProfile
from tandem.accounts.tests.factories import MembershipFactory, TutorProfileFactory, UserFactory
from tandem.core.tests.authz import CREATED, REDIRECT, api, everyone_else, expect, page
from tandem.cultivation.models import TutorChangeRequest, TutorTraining
from tandem.cultivation.tests.factories import cultivation_in

VISIBLE = ["admin", "coord_a", "coord_b", "tutor_a", "tutor_b", "trainee"]
MANAGERS = ["admin", "coord_a", "coord_b"]
SIDE_COORDINATORS = ["coord_a", "coord_b"]
NOT_MANAGERS = ["tutor_a", "tutor_b", "trainee"]
HIDDEN = ["resident", "outsider"]
PAIR = ["tutor_a", "tutor_b"]
DEVELOPMENT = ["tutor_a", "coord_a", "coord_b", "admin"]
RECORDERS = ["tutor_a", "coord_a", "admin"]
API = "/api/v1/cultivation"


def _active(cast):
    return cultivation_in(cast, "active")


def _pk_active(cast):
    return {"pk": _active(cast).pk}


def _pk_proposed(cast):
    return {"pk": cultivation_in(cast, "proposed", paired=False).pk}


def _approved_master_unpaired(cast):
    # A master's trainee: the master's supervisor tutor_b qualifies as experimental tutor.
    TraineeProfile.objects.filter(user=cast.trainee).update(kind="academic_master")
    return cultivation_in(cast, "approved", paired=False)


def _divided(cast):
    return cultivation_in(cast, "active", divided=True)


def _new_tutor(cast):
    user = UserFactory(username="tutor_new", full_name="Nina New")
    if not user.memberships.exists():
        MembershipFactory(user=user, role="tutor", institution=cast.inst_a)
        TutorProfileFactory(user=user, qualification="doctoral")
    return user


def _change(cast):
    cultivation = _active(cast)
    change = TutorChangeRequest.objects.create(
        cultivation=cultivation,
        role="theoretical",
        new_tutor=_new_tutor(cast),
        reason="Retirement",
        requested_by=cast.coord_a,
    )
    return cultivation, change


def _change_kwargs(cast):
    cultivation, change = _change(cast)
    return {"pk": cultivation.pk, "request_pk": change.pk}


def _tutor_a(cast):
    return {"user_pk": cast.tutor_a.pk}


def _training(cast):
    return TutorTraining.objects.create(
        tutor=cast.tutor_a,
        course="Supervising doctoral research",
        hours=16,
        date=datetime.date(2025, 5, 10),
        recorded_by=cast.tutor_a,
        certificate=SimpleUploadedFile("certificate.pdf", b"%PDF-1.4 certificate"),
    )


def _propose_form(cast):
    return {
        "trainee": cast.trainee.pk,
        "agreement": cast.agreement_ab.pk,
        "home": cast.inst_a.pk,
        "host": cast.inst_b.pk,
        "planned_start": "2026-09-01",
        "planned_end": "2028-06-30",
        "stay_mode": "sequential",
        "research_topic": "Tumour hypoxia",
        "stays-TOTAL_FORMS": "2",
        "stays-INITIAL_FORMS": "0",
        "stays-0-institution": cast.inst_b.pk,
        "stays-0-start": "2026-09-01",
        "stays-0-end": "2027-08-31",
        "stays-0-purpose": "Lab work",
        "stays-1-institution": cast.inst_a.pk,
        "stays-1-start": "2027-09-01",
        "stays-1-end": "2028-06-30",
        "stays-1-purpose": "Thesis",
    }


def _propose_json(cast):
    return {
        "trainee_id": cast.trainee.pk,
        "agreement_id": cast.agreement_ab.pk,
        "home_id": cast.inst_a.pk,
        "host_id": cast.inst_b.pk,
        "planned_start": "2026-09-01",
        "planned_end": "2028-06-30",
        "stays": [{"institution_id": cast.inst_b.pk, "start": "2026-09-01", "end": "2028-06-30"}],
    }


def _division_form(cast):
    roles = [
        "experimental",
        "experimental",
        "theoretical",
        "experimental",
        "experimental",
        "theoretical",
    ]
    return {f"role_{index}": role for index, role in enumerate(roles)}


def _division_json(cast):
    return {
        "items": [
            {"key": "experiment_design", "role": "experimental"},
            {"title": "Conference travel", "role": "theoretical"},
        ]
    }


def _template_form(cast):
    return {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-0-key": "experiment_design",
        "items-0-title": "",
        "items-1-key": "",
        "items-1-title": "Conference travel",
    }


def _training_form(cast):
    return {
        "course": "Mentoring skills",
        "provider": "Graduate school",
        "hours": "8",
        "date": "2025-04-01",
        "certificate": SimpleUploadedFile("cert.pdf", b"%PDF-1.4 cert"),
    }


def _reason(cast):
    return {"reason": "Checked by the matrix", "ground": "health"}


def _ending(cast):
    """Termination asked by A's coordinator: only B's coordinator answers (decision 086)."""
    from tandem.cultivation import services

    cultivation = _active(cast)
    services.cultivation_decide(
        actor=cast.coord_a, cultivation=cultivation, action="terminate", reason="x", ground="other"
    )
    return cultivation.ending_requests.get()


def _ending_kwargs(cast):
    ending = _ending(cast)
    return {"pk": ending.cultivation_id, "ending_pk": ending.pk}


ANSWERERS = ["coord_b"]
NOT_ANSWERERS = ["admin", "coord_a", *NOT_MANAGERS]


def _termination_fingerprint(cast):
    """The preview of the termination request `_ending` made (the path is built first)."""
    from django.utils import timezone

    from tandem.cultivation.models import JointCultivation
    from tandem.cultivation.services_termination import termination_preview

    cultivation = JointCultivation.objects.get(trainee=cast.trainee, status="active")
    plan = termination_preview(cultivation, on=timezone.localdate())
    return {"fingerprint": plan.fingerprint, "reason": "Agreed"}


REQUIREMENT = ["admin", "coord_a"]
INSURANCE = ["admin", "coord_a", "coord_b", "trainee"]


def _inst_a(cast):
    return {"pk": cast.inst_a.pk}


def _requirement_form(cast):
    return {
        "hours_per_period": "8",
        "period_start_month": "9",
        "mandatory_courses": "Mentoring",
        "new_tutor_months": "12",
    }


def _requirement_path(cast):
    from tandem.cultivation.services_training import tutor_training_requirement_set

    tutor_training_requirement_set(
        actor=cast.coord_a, institution=cast.inst_a, hours_per_period="8"
    )
    return f"{API}/institutions/{cast.inst_a.pk}/tutor-training"


def _insurance_form(cast):
    return {
        "insurer": "Ping An Health",
        "policy_number": "PA-1",
        "valid_from": "2026-09-01",
        "valid_until": "2027-08-31",
    }


def _staff(ok, forbidden, hidden=HIDDEN, **kwargs):
    return expect(ok=ok, forbidden=forbidden, hidden=hidden, **kwargs)


RULES = {
    "cultivation:list": page(expect=expect(ok=everyone_else())),
    "cultivation:detail": page(kwargs=_pk_active, expect=expect(ok=VISIBLE, hidden=HIDDEN)),
    "cultivation:propose": page(
        "POST",
        data=_propose_form,
        expect=expect(ok=MANAGERS, forbidden=everyone_else(MANAGERS), ok_status=REDIRECT),
    ),
    "cultivation:approve": page(
        "POST",
        kwargs=_pk_proposed,
        data=lambda cast: {},
        expect=_staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS], ok_status=REDIRECT),
    ),
    "cultivation:decide": page(
        "POST",
        kwargs=lambda cast: {**_pk_active(cast), "action": "suspend"},
        data=_reason,
        expect=_staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS], ok_status=REDIRECT),
    ),
    "cultivation:ending_answer": page(
        "POST",
        kwargs=_ending_kwargs,
        data=lambda cast: {"answer": "decline", "reason": "No"},
        expect=_staff(ANSWERERS, NOT_ANSWERERS, ok_status=REDIRECT),
    ),
    # Decision 098: both sides' coordinators see what a termination changes.
    "cultivation:termination_preview": page(
        kwargs=_ending_kwargs,
        expect=_staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS]),
    ),
    "cultivation:tutor_assign": page(
        "POST",
        kwargs=lambda cast: {"pk": _approved_master_unpaired(cast).pk},
        data=lambda cast: {"role": "experimental", "tutor": cast.tutor_b.pk},
        expect=_staff(MANAGERS, NOT_MANAGERS, ok_status=REDIRECT),
    ),
    "cultivation:change_request": page(
        "POST",
        kwargs=_pk_active,
        data=lambda cast: {
            "role": "theoretical",
            "new_tutor": _new_tutor(cast).pk,
            "reason": "Retirement",
        },
        expect=_staff(MANAGERS, NOT_MANAGERS, ok_status=REDIRECT),
    ),
    "cultivation:change_approve": page(
        "POST",
        kwargs=_change_kwargs,
        data=lambda cast: {},
        expect=_staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS], ok_status=REDIRECT),
    ),
    "cultivation:change_reject": page(
        "POST",
        kwargs=_change_kwargs,
        data=_reason,
        expect=_staff(MANAGERS, NOT_MANAGERS, ok_status=REDIRECT),
    ),
    "cultivation:responsibilities": page(
        "POST",
        kwargs=_pk_active,
        data=_division_form,
        expect=_staff([*MANAGERS, *PAIR], ["trainee"], ok_status=REDIRECT),
    ),
    "cultivation:responsibilities_sign": page(
        "POST",
        kwargs=lambda cast: {"pk": _divided(cast).pk},
        data=lambda cast: {},
        expect=_staff(PAIR, [*MANAGERS, "trainee"], ok_status=REDIRECT),
    ),
    "cultivation:template": page(
        "POST",
        kwargs=lambda cast: {"agreement_pk": cast.agreement_ab.pk},
        data=_template_form,
        expect=_staff(
            MANAGERS, [*NOT_MANAGERS, "resident"], hidden=["outsider"], ok_status=REDIRECT
        ),
    ),
    "cultivation:trainings": page(
        kwargs=_tutor_a,
        expect=expect(
            ok=DEVELOPMENT, forbidden=everyone_else(DEVELOPMENT, ["outsider"]), hidden=["outsider"]
        ),
    ),
    "cultivation:training_add": page(
        "POST",
        kwargs=_tutor_a,
        data=_training_form,
        expect=expect(
            ok=RECORDERS,
            forbidden=everyone_else(RECORDERS, ["outsider"]),
            hidden=["outsider"],
            ok_status=REDIRECT,
        ),
    ),
    "cultivation:training_certificate": page(
        kwargs=lambda cast: {"pk": _training(cast).pk},
        expect=expect(
            ok=DEVELOPMENT, forbidden=everyone_else(DEVELOPMENT, ["outsider"]), hidden=["outsider"]
        ),
    ),
    "cultivation:tutor_load": page(
        kwargs=_tutor_a,
        query="year=2026",
        expect=expect(
            ok=DEVELOPMENT, forbidden=everyone_else(DEVELOPMENT, ["outsider"]), hidden=["outsider"]
        ),
    ),
    # API
    "cultivation_cultivation_list": api(
        "GET", lambda cast: f"{API}/", expect(ok=everyone_else(), anonymous=401)
    ),
    "cultivation_cultivation_get": api(
        "GET",
        lambda cast: f"{API}/{_active(cast).pk}",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "cultivation_cultivation_propose": api(
        "POST",
        lambda cast: f"{API}/",
        expect(
            ok=MANAGERS,
            forbidden=everyone_else(MANAGERS, ["outsider"]),
            ok_status=CREATED,
            anonymous=401,
        )
        | {"outsider": 400},
        data=_propose_json,
        note="the outsider cannot see the trainee: 'Not found.' on it, as for no one (issue 18)",
    ),
    "cultivation_cultivation_approve": api(
        "POST",
        lambda cast: f"{API}/{_pk_proposed(cast)['pk']}/approve",
        _staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS], anonymous=401),
        data=lambda cast: {},
    ),
    "cultivation_cultivation_decide": api(
        "POST",
        lambda cast: f"{API}/{_active(cast).pk}/decide/suspend",
        _staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS], anonymous=401),
        data=_reason,
    ),
    "cultivation_ending_confirm": api(
        "POST",
        lambda cast: f"{API}/{(e := _ending(cast)).cultivation_id}/endings/{e.pk}/confirm",
        _staff(ANSWERERS, NOT_ANSWERERS, anonymous=401),
        data=lambda cast: {},
    ),
    "cultivation_termination_preview": api(
        "GET",
        lambda cast: f"{API}/{(e := _ending(cast)).cultivation_id}/endings/{e.pk}/termination",
        _staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS], anonymous=401),
    ),
    "cultivation_termination_confirm": api(
        "POST",
        lambda cast: f"{API}/{(e := _ending(cast)).cultivation_id}/endings/{e.pk}/termination",
        _staff(ANSWERERS, NOT_ANSWERERS, anonymous=401),
        data=_termination_fingerprint,
    ),
    "cultivation_ending_decline": api(
        "POST",
        lambda cast: f"{API}/{(e := _ending(cast)).cultivation_id}/endings/{e.pk}/decline",
        _staff(ANSWERERS, NOT_ANSWERERS, anonymous=401),
        data=lambda cast: {"reason": "No"},
    ),
    "cultivation_tutor_list": api(
        "GET",
        lambda cast: f"{API}/{_active(cast).pk}/tutors",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "cultivation_tutor_assign": api(
        "POST",
        lambda cast: f"{API}/{_approved_master_unpaired(cast).pk}/tutors",
        _staff(MANAGERS, NOT_MANAGERS, ok_status=CREATED, anonymous=401),
        data=lambda cast: {"role": "experimental", "tutor_id": cast.tutor_b.pk},
    ),
    "cultivation_tutor_change_list": api(
        "GET",
        lambda cast: f"{API}/{_change(cast)[0].pk}/tutor-changes",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "cultivation_tutor_change_request": api(
        "POST",
        lambda cast: f"{API}/{_active(cast).pk}/tutor-changes",
        _staff(MANAGERS, NOT_MANAGERS, ok_status=CREATED, anonymous=401),
        data=lambda cast: {
            "role": "theoretical",
            "new_tutor_id": _new_tutor(cast).pk,
            "reason": "Retirement",
        },
    ),
    "cultivation_tutor_change_approve": api(
        "POST",
        lambda cast: "{API}/{pk}/tutor-changes/{request_pk}/approve".format(
            API=API, **_change_kwargs(cast)
        ),
        _staff(SIDE_COORDINATORS, ["admin", *NOT_MANAGERS], anonymous=401),
        data=lambda cast: {},
    ),
    "cultivation_tutor_change_reject": api(
        "POST",
        lambda cast: "{API}/{pk}/tutor-changes/{request_pk}/reject".format(
            API=API, **_change_kwargs(cast)
        ),
        _staff(MANAGERS, NOT_MANAGERS, anonymous=401),
        data=_reason,
    ),
    "cultivation_responsibilities_get": api(
        "GET",
        lambda cast: f"{API}/{_divided(cast).pk}/responsibilities",
        expect(ok=VISIBLE, hidden=HIDDEN, anonymous=401),
    ),
    "cultivation_responsibilities_divide": api(
        "PUT",
        lambda cast: f"{API}/{_active(cast).pk}/responsibilities",
        _staff([*MANAGERS, *PAIR], ["trainee"], anonymous=401),
        data=_division_json,
    ),
    "cultivation_responsibilities_sign": api(
        "POST",
        lambda cast: f"{API}/{_divided(cast).pk}/responsibilities/sign",
        _staff(PAIR, [*MANAGERS, "trainee"], anonymous=401),
    ),
    "cultivation_template_get": api(
        "GET",
        lambda cast: f"{API}/templates/{cast.agreement_ab.pk}",
        expect(ok=[*VISIBLE, "resident"], hidden=["outsider"], anonymous=401),
    ),
    "cultivation_template_update": api(
        "PUT",
        lambda cast: f"{API}/templates/{cast.agreement_ab.pk}",
        _staff(MANAGERS, [*NOT_MANAGERS, "resident"], hidden=["outsider"], anonymous=401),
        data=lambda cast: {"items": [{"key": "experiment_design"}, {"title": "Conference travel"}]},
    ),
    "cultivation_training_list": api(
        "GET",
        lambda cast: f"{API}/tutors/{cast.tutor_a.pk}/trainings",
        expect(
            ok=DEVELOPMENT,
            forbidden=everyone_else(DEVELOPMENT, ["outsider"]),
            hidden=["outsider"],
            anonymous=401,
        ),
    ),
    "cultivation_training_create": api(
        "POST",
        lambda cast: f"{API}/tutors/{cast.tutor_a.pk}/trainings",
        expect(
            ok=RECORDERS,
            forbidden=everyone_else(RECORDERS, ["outsider"]),
            hidden=["outsider"],
            ok_status=CREATED,
            anonymous=401,
        ),
        data=lambda cast: {"course": "Mentoring skills", "hours": "8", "date": "2025-04-01"},
    ),
    "cultivation_tutor_load": api(
        "GET",
        lambda cast: f"{API}/tutors/{cast.tutor_a.pk}/load?year=2026",
        expect(
            ok=DEVELOPMENT,
            forbidden=everyone_else(DEVELOPMENT, ["outsider"]),
            hidden=["outsider"],
            anonymous=401,
        ),
    ),
    # The tutor training requirement (decision 092): the institution's coordinators and the
    # admin; every other signed-in person sees the institution, so gets 403, not 404.
    "cultivation:training_requirement": page(
        kwargs=_inst_a, expect=expect(ok=REQUIREMENT, forbidden=everyone_else(REQUIREMENT))
    ),
    "cultivation:training_requirement_edit": page(
        "POST",
        kwargs=_inst_a,
        data=_requirement_form,
        expect=expect(ok=REQUIREMENT, forbidden=everyone_else(REQUIREMENT), ok_status=REDIRECT),
    ),
    "cultivation_training_requirement_get": api(
        "GET",
        _requirement_path,
        expect(ok=REQUIREMENT, forbidden=everyone_else(REQUIREMENT), anonymous=401),
    ),
    "cultivation_training_requirement_set": api(
        "PUT",
        lambda cast: f"{API}/institutions/{cast.inst_a.pk}/tutor-training",
        expect(ok=REQUIREMENT, forbidden=everyone_else(REQUIREMENT), anonymous=401),
        data=lambda cast: {"hours_per_period": "8", "mandatory_courses": ["Mentoring"]},
    ),
    # The trainee's insurance (decision 093): the trainee and the coordinators of both sides;
    # the tutors see the joint record but not the policies.
    "cultivation:insurance": page(
        kwargs=_pk_active,
        expect=expect(ok=INSURANCE, forbidden=PAIR, hidden=HIDDEN),
    ),
    "cultivation:insurance_add": page(
        "POST",
        kwargs=_pk_active,
        data=_insurance_form,
        expect=expect(ok=INSURANCE, forbidden=PAIR, hidden=HIDDEN, ok_status=REDIRECT),
    ),
    "cultivation_insurance_list": api(
        "GET",
        lambda cast: f"{API}/{_active(cast).pk}/insurance",
        expect(ok=INSURANCE, forbidden=PAIR, hidden=HIDDEN, anonymous=401),
    ),
    "cultivation_insurance_create": api(
        "POST",
        lambda cast: f"{API}/{_active(cast).pk}/insurance",
        expect(ok=INSURANCE, forbidden=PAIR, hidden=HIDDEN, ok_status=CREATED, anonymous=401),
        data=_insurance_form,
    ),
    # Planning stays after the proposal (decision 094): whoever manages the record.
    "cultivation_stay_add": api(
        "POST",
        lambda cast: f"{API}/{_active(cast).pk}/stays",
        _staff(MANAGERS, NOT_MANAGERS, ok_status=CREATED, anonymous=401),
        data=lambda cast: {
            "institution_id": cast.inst_a.pk,
            "start": "2027-09-01",
            "end": "2027-12-31",
            "purpose": "Thesis writing at home",
        },
    ),
    "cultivation_stay_change": api(
        "PUT",
        lambda cast: f"{API}/{(c := _active(cast)).pk}/stays/{c.stays.get().pk}",
        _staff(MANAGERS, NOT_MANAGERS, anonymous=401),
        data=lambda cast: {"start": "2026-09-01", "end": "2027-06-30"},
    ),
}
