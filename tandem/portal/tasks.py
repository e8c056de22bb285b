"""Background work of the portal: building an annual report (an id in, one service call)."""

from django_tasks import task

from tandem.portal import services


@task()
def annual_report_build_task(report_id: int) -> None:
    services.annual_report_build(report_id=report_id)
