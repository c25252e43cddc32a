"""Real races for tests: each attempt in its own thread, app context and database connection, all released
at once by a barrier."""
import threading

from desk.errors import Conflict
from desk.extensions import db


def race(app, attempts) -> list[str]:
    """Run ``attempts`` (pairs of ``load() -> args`` and ``act(*args)``) at the same moment.

    ``load`` reads what the attempt needs and is committed before the barrier, so that no thread holds
    SQLite's write lock while the others wait. Returns "won" for each act that committed and "taken" for
    each refused with Conflict. The caller must hold no connection (``db.session.close()``) first."""
    barrier, results = threading.Barrier(len(attempts)), []

    def run(load, act):
        with app.app_context():
            args = load()
            db.session.commit()
            barrier.wait()
            try:
                act(*args)
                db.session.commit()
                results.append("won")
            except Conflict:
                db.session.rollback()
                results.append("taken")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
