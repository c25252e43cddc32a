"""Demo imports: a 12345 hotline export and a 110 transfer export of 台山市, imported through the service, so
the case list shows hotline and phone matters and the import history shows the runs."""
import os
import tempfile
from datetime import timedelta

from desk.demo.seed import SeedContext, demo_county
from intake.imports import services
from intake.imports.samples import write_sample

DEMO_ROWS = {"12345": 36, "110": 24}


def seed(ctx: SeedContext) -> None:
    county, admin = demo_county(ctx), ctx.users.get("admin")
    for source, count in DEMO_ROWS.items():
        handle, path = tempfile.mkstemp(suffix=".csv")
        os.close(handle)
        try:
            # a generator of its own: the demo's shared one stays as the other seeders expect it
            write_sample(path, source, count, seed=ctx.size, end=ctx.today - timedelta(days=1))
            run = services.open_run(source=source, county=county, actor=admin, file_name=f"{source}-demo.csv")
            services.run_import(run, path, actor=admin)
        finally:
            os.remove(path)
