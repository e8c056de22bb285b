"""A history names only the actors its reader may see (issue 18): the rest are "someone"."""

from tandem.core.audit import audit_record
from tandem.core.models import AuditEvent
from tandem.portal.templatetags.history import described_for


def _actors(reader):
    return [text.actor for text in described_for(AuditEvent.objects.order_by("pk"), reader)]


def test_a_reader_sees_the_names_of_actors_in_reach_only(cast):
    AuditEvent.objects.all().delete()
    audit_record(actor=cast.admin, action="institution.update", target=cast.inst_a)
    audit_record(actor=cast.coord_b, action="institution.update", target=cast.inst_a)

    assert _actors(cast.admin) == ["Ada Admin", "Bob Coordinator"]
    # The consortium admin belongs to no institution: out of a coordinator's reach.
    assert _actors(cast.coord_a) == ["Someone outside your institutions", "Bob Coordinator"]
    assert _actors(cast.outsider) == ["Someone outside your institutions"] * 2
