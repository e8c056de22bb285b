"""Background work: e-mail for notifications (ids in, one call each)."""

from django_tasks import task

from tandem.alerts import emails


@task()
def send_immediate_emails(user_ids: list[int]) -> int:
    return sum(emails.send_immediate(user_id) for user_id in user_ids)


@task()
def send_digest(user_id: int) -> int:
    return emails.send_digest(user_id)
