"""Upload checks: the type comes from the file's content, never its name; sizes have a stated limit."""

import hashlib
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Sniffed MIME type -> the extensions a name may have for it.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/png": ("png",),
    "image/webp": ("webp",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
}


def _human(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} B"


def validate_upload(file, *, allowed: dict[str, tuple[str, ...]] | None = None, max_bytes: int | None = None):
    """Return (mime_type, extension) of an acceptable upload, or raise ValidationError saying why."""
    allowed = allowed or ALLOWED_TYPES
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = file.size
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.") % {"size": _human(size), "limit": _human(max_bytes)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    if kind is None and head.startswith(b"PK"):
        kind = _guess_office(file)
    if kind is None or kind.mime not in allowed:
        found = kind.mime if kind else _("unknown")
        raise ValidationError(
            _("The file's content is of type %(found)s, which is not accepted. Accepted: %(accepted)s.")
            % {"found": found, "accepted": ", ".join(sorted({e for exts in allowed.values() for e in exts}))},
            code="bad_type",
        )
    name = (getattr(file, "name", "") or "").lower()
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    if ext and ext not in allowed[kind.mime]:
        raise ValidationError(
            _("The file is named .%(ext)s but its content is %(found)s.")
            % {"ext": ext, "found": allowed[kind.mime][0]},
            code="name_mismatch",
        )
    return kind.mime, allowed[kind.mime][0]


class _Kind:
    def __init__(self, mime: str):
        self.mime = mime


def _guess_office(file):
    """filetype reads only the first bytes; Office files are zips whose member names tell the kind."""
    try:
        with zipfile.ZipFile(file) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    if "word/document.xml" in names:
        return _Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if "xl/workbook.xml" in names:
        return _Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if "ppt/presentation.xml" in names:
        return _Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation")
    return None


def sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
