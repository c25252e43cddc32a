"""The citizens' online report: end to end into the town's queue, bad input next to its field, the abuse guard
(honeypot, minimum fill time, limits per address and phone, sizes), double submits, repeats, tracking."""
import io
import re
from datetime import timedelta

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, CaseStatus, Channel, Person, Role, Visit
from desk.timeutil import utcnow
from intake.cases.models import Attachment
from intake.online.demo import tiny_png
from intake.online.services import sign_started
from tests.factories import valid_id_number

URL = "/intake/online"


def form(world, **overrides):
    data = {"category_id": str(world.category.id), "title": "工厂拖欠工资三个月",
            "facts": "台城某厂拖欠我们三个月工资，多次讨要未果。", "demand": "请求督促工厂发放工资",
            "town_id": str(world.town.id), "village_id": str(world.village.id), "name": "陈大文",
            "phone": "13800138000", "id_number": "", "consent": "y", "website": "",
            "started": sign_started(utcnow() - timedelta(seconds=30)), "submission_key": None}
    data.update(overrides)
    if data["submission_key"] is None:
        data["submission_key"] = f"k{next(_keys)}"
    return {k: v for k, v in data.items() if v is not None}


_keys = iter(range(10**6))


def send(client, data, address="203.0.113.7", files=()):
    body = dict(data)
    if files:
        body["photos"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(URL, data=body, content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": address})


def cases():
    return list(db.session.scalars(sa.select(Case)))


def test_the_page_is_open_to_anyone_in_chinese_with_the_language_switch(client, world):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'lang="zh-CN"' in html and 'action="/language"' in html
    assert world.town.name in html and world.village.name in html and world.far_town.name in html
    assert f'data-town="{world.town.id}" value="{world.village.id}"' in html   # the script narrows the list
    assert 'name="website"' in html and 'name="started"' in html and 'type="checkbox"' in html


def test_a_report_lands_in_the_towns_queue_with_its_photos_and_the_answer_is_the_tracking_code(client, world):
    id_number = valid_id_number(seq=21)
    sent = send(client, form(world, id_number=id_number),
                files=[("a.png", tiny_png((200, 0, 0))), ("b.png", tiny_png((0, 0, 200)))])
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/intake/online/done")
    [case] = cases()
    assert case.status == CaseStatus.registered and case.channel == Channel.online
    assert case.owner_unit_id == world.town.id and case.village_id == world.village.id
    assert case.title == "工厂拖欠工资三个月" and case.category_id == world.category.id
    assert sorted(a.filename for a in db.session.scalars(sa.select(Attachment))) == ["a.png", "b.png"]
    person = case.petitioners[0]
    assert person.phone == "13800138000" and person.id_number == id_number    # decrypted by the model
    raw = db.session.execute(sa.text("SELECT phone, id_number FROM person")).one()
    assert "13800138000" not in raw.phone and id_number not in raw.id_number  # encrypted at rest
    done = client.get("/intake/online/done").get_data(as_text=True)
    assert case.tracking_code in done and case.reference not in done
    audit = db.session.execute(sa.text("SELECT actor_id FROM audit_entry WHERE entity = 'visit' AND action = 'register'"
                                       )).all()
    assert [row.actor_id for row in audit] == [None]                         # the citizen, not a user


def test_bad_input_is_shown_next_to_its_field_and_nothing_typed_is_lost(client, world):
    for field, value in [("phone", "12345"), ("id_number", "440781198001010000"), ("consent", None),
                         ("title", ""), ("category_id", ""), ("town_id", "abc"), ("title", "长" * 101),
                         ("village_id", str(world.far_village.id))]:
        data = form(world, **{field: value})
        answer = send(client, data)
        html = answer.get_data(as_text=True)
        assert answer.status_code == 400, field
        assert re.search(rf'id="field-{field}"[^>]*>', html) and 'class="field has-error" id="field-' + field in html
        assert "台城某厂拖欠我们三个月工资" in html and "请求督促工厂发放工资" in html
    assert cases() == []


def test_sent_again_at_once_after_an_error_is_not_taken_for_a_bot(client, world, clock):
    now = clock("2026-11-20 10:00")
    page = client.get(URL).get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    clock("2026-11-20 10:02")
    refused = send(client, form(world, consent=None, started=started, submission_key="one-form"))
    assert refused.status_code == 400 and f'value="{started}"' in refused.get_data(as_text=True)
    assert now and send(client, form(world, started=started, submission_key="one-form")).status_code == 302
    assert len(cases()) == 1


def test_seven_photos_or_a_file_that_is_not_a_photo_are_refused_and_the_files_must_be_chosen_again(client, world):
    answer = send(client, form(world), files=[(f"{n}.png", tiny_png((n, n, n))) for n in range(7)])
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "field has-error\" id=\"field-photos" in html
    assert 'data-testid="files-dropped"' in html and "6.png" in html
    answer = send(client, form(world), files=[("photo.png", b"MZ\x90\x00 not an image")])
    assert answer.status_code == 400 and "field has-error\" id=\"field-photos" in answer.get_data(as_text=True)
    pdf = send(client, form(world), files=[("scan.pdf", b"%PDF-1.4 a document")])
    assert pdf.status_code == 400
    assert cases() == [] and db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_an_oversized_body_gets_the_translated_413_page(app, client, world):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    answer = send(client, form(world), files=[("big.png", tiny_png((1, 2, 3)) + b"\x00" * 60_000)])
    assert answer.status_code == 413 and "<html" in answer.get_data(as_text=True)
    assert cases() == []


def test_a_filled_honeypot_or_a_too_fast_form_looks_like_success_but_stores_nothing(client, world):
    for data in [form(world, website="http://spam.example"),
                 form(world, started=sign_started(utcnow())),           # sent back at once
                 form(world, started="forged"), form(world, started="")]:
        answer = send(client, data)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/intake/online/done")
        done = client.get("/intake/online/done").get_data(as_text=True)
        assert 'data-testid="tracking-code"' in done
    assert cases() == [] and db.session.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_reports_per_address_are_limited_per_hour(app, client, world, clock):
    now = clock("2026-11-20 10:00")
    for n in range(5):
        assert send(client, form(world, phone=f"1380013800{n}", started=sign_started(now - timedelta(minutes=1))
                                 )).status_code == 302
    refused = send(client, form(world, phone="13800138009", started=sign_started(now - timedelta(minutes=1))))
    assert refused.status_code == 429 and 3000 < int(refused.headers["Retry-After"]) <= 3601
    assert "工厂拖欠工资三个月" in refused.get_data(as_text=True)      # what was typed is still there
    assert len(cases()) == 5
    assert send(client, form(world, phone="13800138009"), address="198.51.100.1").status_code == 302
    someone = valid_id_number(seq=31)
    assert send(client, form(world, phone="13700137000", id_number=someone), address="198.51.100.3").status_code == 302
    for n in range(5):   # refused reports count too: trying ID numbers is no cheaper than sending reports
        assert send(client, form(world, phone=f"1390013900{n}", id_number=someone, name="李四"),
                    address="198.51.100.2").status_code == 400
    assert send(client, form(world, phone="13900139009"), address="198.51.100.2").status_code == 429
    clock("2026-11-20 11:01")
    assert send(client, form(world, phone="13800138008", started=sign_started(utcnow() - timedelta(minutes=1)))
                ).status_code == 302


def test_reports_per_phone_are_limited_per_day(client, world, clock):
    clock("2026-11-20 10:00")
    for n in range(3):
        assert send(client, form(world, title=f"事项{n}"), address=f"198.51.100.{n}").status_code == 302
    refused = send(client, form(world, title="事项9"), address="198.51.100.9")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 20 * 3600
    clock("2026-11-21 10:01")
    assert send(client, form(world, title="事项10", started=sign_started(utcnow() - timedelta(minutes=1))),
                address="198.51.100.9").status_code == 302


def test_a_double_submit_lands_one_matter(client, world):
    data = form(world)
    first, second = send(client, data), send(client, data)
    assert first.status_code == second.status_code == 302
    assert len(cases()) == 1 and db.session.scalar(sa.select(sa.func.count(Visit.id))) == 1


def test_the_same_person_and_matter_twice_is_one_case_with_two_visits_and_no_earlier_code_shown(client, world):
    id_number = valid_id_number(seq=22)
    send(client, form(world, id_number=id_number))
    [case] = cases()
    again = send(client, form(world, id_number=id_number, phone="13900139000",
                              facts="台城某厂仍拖欠我们三个月工资，多次讨要未果。"), address="198.51.100.5")
    assert again.status_code == 302
    assert len(cases()) == 1 and len(case.visits) == 2 and case.visits[-1].is_repeat
    done = client.get("/intake/online/done").get_data(as_text=True)
    assert case.tracking_code not in done and 'data-testid="tracking-code"' not in done


def test_the_tracking_page_shows_the_new_matter_by_its_code(client, world):
    send(client, form(world))
    [case] = cases()
    page = client.post("/reports/track", data={"code": case.tracking_code})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and case.reference in html and 'data-testid="awaiting-acceptance"' in html


def test_the_town_receptionist_finds_the_online_matter_and_accepts_it(client, world, login_as):
    send(client, form(world))
    [case] = cases()
    desk = login_as(Role.receptionist, unit=world.town)
    assert case.reference in desk.get("/intake/cases").get_data(as_text=True)
    assert desk.get(f"/intake/cases/{case.id}").status_code == 200
    assert desk.post(f"/intake/cases/{case.id}/accept").status_code == 302
    db.session.refresh(case)
    assert case.status == CaseStatus.accepted
    other = login_as(Role.receptionist, unit=world.far_town)
    assert case.reference not in other.get("/intake/cases").get_data(as_text=True)


def test_an_id_number_on_record_under_another_name_is_refused_in_the_citizens_words(client, world):
    id_number = valid_id_number(seq=23)
    send(client, form(world, id_number=id_number))
    answer = send(client, form(world, id_number=id_number, name="李四"), address="198.51.100.6")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'class="field has-error" id="field-id_number' in html
    assert "陈大文" not in html and len(cases()) == 1      # the recorded name is never shown


def test_hostile_values_in_any_field_never_answer_500(client, world):
    hostile = ["", "0", "-1", "99999999999999999999", "2147483648", "１２", "<script>x</script>", "' OR 1=1 --",
               "𠀀" * 300, "a" * 10_000]
    fields = [k for k in form(world) if k not in ("started",)]
    for n, field in enumerate(fields):
        for i, value in enumerate(hostile):
            answer = send(client, form(world, **{"phone": f"138{n:02d}{i:06d}", field: value}),
                          address=f"192.0.2.{n * 10 + i}")
            assert answer.status_code < 500, (field, value[:20])
    answer = client.post(URL, data={"town_id": ["1", "2"], "category_id": "x", "photos": "not a file"})
    assert answer.status_code < 500
