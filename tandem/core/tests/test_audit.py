import pytest

from tandem.core.audit import audit_history, audit_record, diff, snapshot
from tandem.core.models import AuditEvent


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


@pytest.mark.django_db
def test_audit_record_and_history(cast):
    before = snapshot(cast.inst_a, ["name", "region"])
    cast.inst_a.region = "central"
    changes = diff(before, snapshot(cast.inst_a, ["name", "region"]))
    audit_record(
        actor=cast.admin,
        action="institution.update",
        target=cast.inst_a,
        changes=changes,
        reason="moved campus",
    )
    event = audit_history(cast.inst_a).first()
    assert event.actor == cast.admin
    assert event.changes == {"region": ["western", "central"]}
    assert event.reason == "moved campus"
    assert not audit_history(cast.inst_b).exists()


@pytest.mark.django_db
def test_anonymous_actor_is_recorded_as_system(cast):
    from django.contrib.auth.models import AnonymousUser

    event = audit_record(actor=AnonymousUser(), action="x.y", target=cast.inst_a)
    assert AuditEvent.objects.get(pk=event.pk).actor is None


@pytest.mark.django_db
def test_admin_changes_are_audited(cast, client_for):
    client = client_for("admin")
    url = f"/admin/institutions/institution/{cast.inst_c.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"name": "Northern Institute of Life Sciences", "tier_labels": "[]"})
    data.pop("parent", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    event = audit_history(cast.inst_c).first()
    assert event.action == "admin.change"
    assert event.actor == cast.admin
    assert event.changes["name"] == [
        "Northern Institute of Biology",
        "Northern Institute of Life Sciences",
    ]


def test_snapshot_of_an_empty_file_field_is_an_empty_name():
    from tandem.agreements.models import AgreementAttachment

    attachment = AgreementAttachment(title="x")
    assert snapshot(attachment, ["file"]) == {"file": ""}
