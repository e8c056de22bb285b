"""The check every uploaded document passes before it is kept: there is one, of an allowed
kind, not empty and not larger than `settings.MAX_ATTACHMENT_BYTES`; each failure names the
form field it belongs to."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from tandem.core.errors import field_error

# PDF, images, Word and Excel: what evidence and certificates come as.
DOCUMENT_EXTENSIONS = ("pdf", "png", "jpg", "jpeg", "doc", "docx", "xls", "xlsx")


def upload_check(file: Any, *, field: str, extensions: Iterable[str] = DOCUMENT_EXTENSIONS) -> str:
    """Raise a ValidationError on `field` for a missing, wrongly typed, empty or too large
    file; return the file's name."""
    kinds = tuple(extensions)
    if file is None:
        raise field_error(field, _("Choose a file to upload."))
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in kinds:
        raise field_error(
            field,
            _("Upload a PDF, an image, or a Word or Excel document (%(kinds)s).")
            % {"kinds": ", ".join(kinds)},
        )
    limit = settings.MAX_ATTACHMENT_BYTES
    if (file.size or 0) > limit:
        raise field_error(
            field,
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)},
        )
    if not file.size:
        raise field_error(field, _("The file is empty."))
    return name
