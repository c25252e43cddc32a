"""Start the application: `python run.py` serves it; `flask --app run ...` runs the CLI.

Production: `gunicorn -w 4 -b 0.0.0.0:8000 'run:app'` with DATABASE_URL pointing at PostgreSQL.
"""
import os

from desk import create_app

app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    host = os.environ.get("HOST", "127.0.0.1")
    # threaded so the waiting-room display and a form can be served at once; no reloader, so the
    # in-process scheduler starts exactly once.
    app.run(host=host, port=port, threaded=True, use_reloader=False)
