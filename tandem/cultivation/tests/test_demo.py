import pytest

from tandem.accounts.models import Membership
from tandem.core.models import AuditEvent
from tandem.cultivation import demo
from tandem.cultivation.models import CultivationStatus, JointCultivation, TutorTraining
from tandem.cultivation.selectors import cultivation_is_complete, current_tutors
from tandem.portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_demo_has_joint_cultivations_in_every_state():
    portal_demo.load_demo()
    demo.load_demo()
    statuses = set(JointCultivation.objects.values_list("status", flat=True))
    assert statuses == set(CultivationStatus.values)
    zhang = JointCultivation.objects.get(trainee__username="trainee.zhang")
    assert zhang.status == "active" and zhang.host.code == "emu"
    pair = current_tutors(zhang)
    assert pair["experimental"].tutor.username == "tutor.li"
    assert pair["theoretical"].tutor.username == "tutor.chen"
    assert cultivation_is_complete(zhang)
    assert JointCultivation.objects.get(trainee__username="trainee.liu").status == "proposed"
    assert JointCultivation.objects.get(trainee__username="trainee.song").status == "completed"
    zhou = JointCultivation.objects.get(trainee__username="trainee.zhou")
    assert Membership.objects.get(user=zhou.trainee, role="trainee").is_active
    # Terminated through the termination service (decision 098): closed, its end recorded.
    assert zhou.ended_on is not None
    assert AuditEvent.objects.filter(
        action="cultivation.terminate_close", target_id=str(zhou.pk)
    ).exists()
    assert all(stay.end <= zhou.ended_on for stay in zhou.stays.all())
    assert TutorTraining.objects.count() >= 3
    demo.load_demo()  # a second run changes nothing
    assert JointCultivation.objects.count() == 6


def test_demo_training_requirements_and_insurance_through_the_services():
    from tandem.cultivation.models import TraineeInsurance, TutorTrainingRequirement
    from tandem.cultivation.selectors_training import tutor_training_status

    portal_demo.load_demo()
    demo.load_demo()
    demo.load_training_requirement_demo()
    demo.load_training_requirement_demo()  # a second run adds no rows
    assert TutorTrainingRequirement.objects.count() == 2
    assert TraineeInsurance.objects.filter(trainee__username="trainee.zhang").count() == 1
    wmu = TutorTrainingRequirement.objects.get(institution__code="wmu").institution
    assert tutor_training_status(wmu)["short"]  # someone at WMU is short: the list has content
