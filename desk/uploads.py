"""Uploads every area takes: images and PDFs only, checked by their content, stored once by digest outside the
static folder."""
import hashlib
import os

from flask_babel import lazy_gettext as _l

from desk.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
SIGNATURES = [(b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"%PDF-", "application/pdf")]


def sniff(data: bytes) -> str | None:
    for magic, mime in SIGNATURES:
        if data.startswith(magic):
            return mime
    return None


def check_upload(filename: str, data: bytes) -> str:
    """The content type by signature (the name and the browser's claim are not trusted)."""
    if len(data) > MAX_BYTES:
        raise DomainError(_l("%(name)s is larger than 10 MB.", name=filename), field="attachments")
    mime = sniff(data)
    if mime is None:
        raise DomainError(_l("%(name)s is not a JPEG or PNG image or a PDF.", name=filename), field="attachments")
    return mime


def store_blob(data: bytes, folder: str) -> tuple[str, str]:
    """Keep a checked upload once by its SHA-256 under ``folder``; returns (digest, path)."""
    digest = hashlib.sha256(data).hexdigest()
    directory = os.path.join(folder, digest[:2])
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, digest)
    if not os.path.exists(path):
        with open(path, "wb") as handle:
            handle.write(data)
    return digest, path
