"""Background work: solving a schedule proposal (ids in, one service call)."""

from django_tasks import task

from tandem.residency import schedule_services


@task()
def solve_proposal(proposal_id: int) -> None:
    schedule_services.proposal_solve(proposal_id=proposal_id)
