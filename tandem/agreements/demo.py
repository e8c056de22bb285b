"""Agreement attachments of the demo consortium, on top of `tandem.portal.demo`: the signed
copies of the WMU–EMU agreement (second version) and of the ECH–WUH exchange, and the quota
annex of the WMU–EMU agreement, each uploaded by a coordinator of a party through the service.
Skipped for an agreement that has attachments already."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tandem.accounts.demo import demo_pdf
from tandem.accounts.models import User
from tandem.agreements import services
from tandem.agreements.models import Agreement, AgreementAttachment, AgreementStatus

# agreement title, coordinator, [(title, file name)]
ATTACHMENTS = [
    (
        "WMU–EMU joint cultivation of medical postgraduates",
        "coord.emu",
        [
            ("Signed agreement (second version)", "wmu-emu-2025-signed.pdf"),
            ("Annex: joint trainee quotas 2023–2027", "wmu-emu-quota-annex.pdf"),
        ],
    ),
    (
        "ECH–WUH residency training exchange",
        "coord.ech",
        [("Signed exchange agreement", "ech-wuh-2025-signed.pdf")],
    ),
]


@transaction.atomic
def load_demo() -> None:
    for title, username, files in ATTACHMENTS:
        agreement = (
            Agreement.objects.filter(title=title, status=AgreementStatus.ACTIVE)
            .order_by("pk")
            .first()
        )
        actor = User.objects.filter(username=username).first()
        if agreement is None or actor is None:
            continue
        if AgreementAttachment.objects.filter(agreement=agreement).exists():
            continue
        for label, name in files:
            services.agreement_attachment_add(
                actor=actor,
                agreement=agreement,
                title=label,
                file=SimpleUploadedFile(
                    name, demo_pdf(f"{title} - {label}"), content_type="application/pdf"
                ),
            )
