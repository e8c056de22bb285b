"""The button and the enforcement cannot drift: for every member of the cast and every state
of an agreement, the predicate a page asks before it shows a button says yes exactly when the
service accepts the action (docs/decisions/077)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.agreements import permissions, services
from tandem.agreements.models import Agreement
from tandem.agreements.tests.factories import AgreementPartyFactory
from tandem.agreements.tests.test_services import draft_kwargs
from tandem.core import tenancy
from tandem.core.tests.agreeing import ACTING, accepted
from tandem.institutions.models import InstitutionKind
from tandem.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def own_terms(agreement: Agreement) -> dict:
    """The agreement's terms as they are: an edit that only a permission can refuse."""
    return {
        "title": agreement.title,
        "form": agreement.form,
        "start_date": agreement.start_date,
        "end_date": agreement.end_date,
        "parties": [
            {"institution": p.institution_id, "funding_share": p.funding_share}
            for p in agreement.parties.order_by("id")
        ],
    }


@pytest.fixture
def cast(cast):
    """The cast, with the outsider's draft made complete (a second party, a university that
    only the outsider's side works with)."""
    partner = InstitutionFactory(name="Far University", kind=InstitutionKind.UNIVERSITY)
    AgreementPartyFactory(agreement=cast.agreement_c, institution=partner, funding_share=0)
    return cast


def _signing(cast) -> Agreement:
    """The draft once coordinator A has signed: waiting for B's signature."""
    services.agreement_sign(actor=cast.coord_a, agreement=cast.draft_ab)
    tenancy.forget(cast.coord_a)
    return cast.draft_ab


def _with_reason(service):
    return lambda cast, user, agreement: service(actor=user, agreement=agreement, reason="Why")


ACTIONS = {
    "edit": (
        permissions.can_edit_agreement,
        lambda cast, user, agreement: services.agreement_update(
            actor=user, agreement=agreement, **own_terms(agreement)
        ),
    ),
    "sign": (
        permissions.can_sign_agreement,
        lambda cast, user, agreement: services.agreement_sign(actor=user, agreement=agreement),
    ),
    "amend": (permissions.can_amend_agreement, _with_reason(services.agreement_amend)),
    "terminate": (permissions.can_terminate_agreement, _with_reason(services.agreement_terminate)),
    "withdraw": (permissions.can_withdraw_agreement, _with_reason(services.agreement_withdraw)),
    "attach": (
        permissions.can_add_attachment,
        lambda cast, user, agreement: services.agreement_attachment_add(
            actor=user,
            agreement=agreement,
            title="Scan",
            file=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 signed copy"),
        ),
    ),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("name", ACTING)
def test_button_predicate_and_service_agree(cast, name, action):
    user = cast.actor(name)
    predicate, call = ACTIONS[action]
    agreements = {
        "draft": cast.draft_ab,
        "active": cast.agreement_ab,
        "outsider's draft": cast.agreement_c,
    }
    answers = {}
    for state, agreement in agreements.items():
        shown = predicate(user, Agreement.objects.get(pk=agreement.pk))
        done = accepted(user, lambda a=agreement: call(cast, user, Agreement.objects.get(pk=a.pk)))
        answers[state] = (shown, done)
    signing = _signing(cast)
    shown = predicate(user, Agreement.objects.get(pk=signing.pk))
    answers["signing"] = (shown, accepted(user, lambda: call(cast, user, signing)))
    assert all(shown == done for shown, done in answers.values()), answers


@pytest.mark.parametrize("name", ACTING)
def test_who_may_draft_is_who_the_service_lets_draft(cast, name):
    user = cast.actor(name)
    done = accepted(user, lambda: services.agreement_draft(actor=user, **draft_kwargs(cast)))
    named = {cast.inst_a.pk, cast.inst_b.pk}
    assert done == (
        permissions.can_create_agreement(user) and permissions.can_act_for_parties(user, named)
    )
