"""The demo's mediations: an agreement among four parties printed in full, an extension with both consents."""
import subprocess

import sqlalchemy as sa

from desk.extensions import db
from outreach.mediation import services as service
from outreach.mediation.documents import render_agreement
from outreach.mediation.models import Mediation, MediationConsent, MediationStatus
from tests.demo_snapshots import load_demo


def test_the_demo_agreement_prints_every_party_in_full(app, tmp_path):
    load_demo(size="small", seed=7)
    agreement = db.session.scalars(sa.select(Mediation).where(Mediation.status == MediationStatus.agreement)
                                   .order_by(Mediation.id)).first()
    assert agreement is not None and len(agreement.parties) == 4 and agreement.copies == 5
    assert all(not service.missing_details(p) for p in agreement.parties)
    assert len({c.side for c in agreement.consents if c.purpose == "mediate"}) == 2
    path = tmp_path / "demo.pdf"
    with app.test_request_context():
        path.write_bytes(render_agreement(agreement, locale="zh_Hans"))
    text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "本协议一式5份，当事人各执一份，调解委员会留存一份" in text
    assert text.count("（签名、盖章或按指印）") == 4 and "人民调解委员会" in text and "汉族" in text
    extended = db.session.scalars(sa.select(MediationConsent).where(MediationConsent.purpose == "extend")).all()
    assert {c.side for c in extended} == {"a", "b"}
