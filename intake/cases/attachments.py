"""Case attachments: the uploads a visit brings, checked and kept by the desk's upload store."""
import os

from desk.extensions import db
from desk.uploads import check_upload, store_blob
from intake.cases.models import Attachment


def store_attachment(*, case, filename: str, data: bytes, folder: str, actor) -> Attachment:
    mime = check_upload(filename, data)
    digest, path = store_blob(data, folder)
    attachment = Attachment(case_id=case.id, filename=os.path.basename(filename)[:200] or "file", mime=mime,
                            size=len(data), sha256=digest, path=path, uploaded_by_id=getattr(actor, "id", None))
    db.session.add(attachment)
    return attachment
