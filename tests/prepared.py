"""Following a file the desk prepares in the background, as its page does: the answer's redirect to the file's
page, its status until it is finished, then the download."""
import time

from desk.extensions import db


def follow_prepared(client, response, *, timeout_s: float = 60.0, gzip: bool = False):
    """The download of the prepared file ``response`` redirected to (a 303 to /files/N), once it is ready."""
    assert response.status_code == 303, response.status_code
    page = response.headers["Location"]
    assert "/files/" in page, page
    deadline = time.monotonic() + timeout_s
    while True:
        db.session.rollback()   # the test shares the requests' session: its reads must not hold SQLite's lock
        status = client.get(page + "/status").get_json()
        if status["finished"]:
            break
        assert time.monotonic() < deadline, f"the file was not made in time: {status}"
        time.sleep(0.05)
    db.session.rollback()
    assert status["ready"], status
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    return client.get(status["download"], headers=headers)
