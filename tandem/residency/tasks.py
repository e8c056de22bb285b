"""Background work: solving a schedule proposal (ids in, one service call)."""

from django_tasks import task

from tandem.residency import services_schedule


@task()
def solve_proposal(proposal_id: int) -> None:
    services_schedule.proposal_solve(proposal_id=proposal_id)
