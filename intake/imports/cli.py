"""`flask desk import-events FILE --source 12345|110|grid [--county CODE]`: an export file on the command line,
with progress on the terminal; exits non-zero listing the problems when any row is bad. ``--sample`` writes a
sample file of the source to FILE instead."""
import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import gettext

from desk.extensions import db
from desk.models import Level, OrgUnit
from intake.imports import services
from intake.imports.mapping import SOURCES
from intake.imports.models import ImportStatus
from intake.imports.samples import write_sample

DEMO_COUNTY = "440781"


@click.command("import-events")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--source", type=click.Choice(sorted(SOURCES)), required=True, help="The system the file comes from.")
@click.option("--county", "county_code", default=DEMO_COUNTY, show_default=True,
              help="Code of the county the rows belong to; places outside it are problems.")
@click.option("--sample", is_flag=True, help="Write a sample file of the source to PATH (.csv or .xlsx).")
@click.option("--rows", type=click.IntRange(1, 1_000_000), default=20, help="Rows of the --sample file.")
@with_appcontext
def import_events_command(path, source, county_code, sample, rows):
    """Import hotline work orders, 110 transfers or grid events: every row is checked first and nothing is
    written if any has a problem; rows imported before (same source id) are not added twice."""
    if sample:
        write_sample(path, source, rows)
        click.echo(f"wrote {rows} {source} sample rows to {path}")
        return
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == county_code, OrgUnit.level == Level.county))
    if county is None:
        raise click.ClickException(f"no county with code {county_code}")
    try:
        open(path, "rb").close()
    except OSError as err:
        raise click.ClickException(f"cannot read {path}: {err.strerror}")
    run = services.open_run(source=source, county=county, actor=None, file_name=str(path))
    db.session.commit()

    def progress(current):
        phase = "written" if current.status == ImportStatus.writing else "checked"
        done = current.written if phase == "written" else current.checked
        click.echo(f"\r{phase} {done}" + (f" / {current.total}" if current.total else ""), nl=False, err=True)
    run = services.run_import(run, path, actor=None, progress=progress)
    click.echo("", err=True)
    if run.status == ImportStatus.rejected:
        for row, column, msgid, values in run.problems:
            click.echo(f"  row {row}, {column}: {gettext(msgid, **values)}", err=True)
        more = run.problem_count - len(run.problems)
        if more > 0:
            click.echo(f"  … and {more} more", err=True)
        raise click.ClickException(f"{run.problem_count} problem(s) in {path}; nothing was imported")
    c = services.counts(run)
    click.echo(f"{c['total']} rows: {c['added']} added ({c['repeats']} linked as repeats), {c['unchanged']} unchanged, "
               f"{c['updated']} updated, {c['changed_after_acceptance']} changed after acceptance (audited only)")
