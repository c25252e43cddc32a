"""`flask desk ...` commands: init, seed-demo, import-org, create-user, scheduler, run-job, backup, restore.

Areas add their own commands to ``desk_cli`` in their ``register(app)``."""
import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from desk.extensions import db

desk_cli = AppGroup("desk", help="Petition desk commands.")


@desk_cli.command("init")
@click.option("--size", type=click.Choice(["small", "city"]), default="small")
@click.option("--seed", "seed_value", type=int, default=7)
def init_command(size, seed_value):
    """Create or migrate the database, then load demo data when it is empty."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    from desk.models import OrgUnit
    if db.session.scalar(db.select(OrgUnit.id).limit(1)) is None:
        from desk.demo.seed import seed_demo
        seed_demo(size=size, seed=seed_value, progress=True)
    else:
        click.echo("Database already has data; demo data not loaded again.")


@desk_cli.command("seed-demo")
@click.option("--size", type=click.Choice(["small", "city"]), default="small")
@click.option("--seed", "seed_value", type=int, default=7)
def seed_demo_command(size, seed_value):
    """Load deterministic demo data (a fresh database is expected)."""
    from desk.demo.seed import seed_demo
    seed_demo(size=size, seed=seed_value, progress=True)


@desk_cli.command("import-org")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--sample", is_flag=True, help="Write the demo city in this format to PATH instead of importing.")
@click.option("--size", type=click.Choice(["small", "city"]), default="city", help="Size of the --sample city.")
def import_org_command(path, sample, size):
    """Import the org tree from a CSV file (code,name,level,parent_code,prefix), then add the sites, rooms,
    departments and categories the new units need. Rows already in the database are left as they are."""
    from desk import orgimport
    if sample:
        with open(path, "w", encoding="utf-8", newline="") as out:
            out.write(orgimport.sample_csv(size=size, seed=7))
        click.echo(f"wrote the demo city ({size}) to {path}")
        return
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            rows = orgimport.read_org_csv(stream)
        result = orgimport.import_org(rows, progress=True)
    except orgimport.OrgFileError as err:
        db.session.rollback()
        for problem in err.problems:
            click.echo(problem, err=True)
        raise click.ClickException(f"{len(err.problems)} problem(s) in {path}; nothing was imported")
    except OSError as err:
        raise click.ClickException(f"cannot read {path}: {err.strerror}")
    db.session.commit()
    click.echo(result.summary())


@desk_cli.command("holidays")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--by", "username", help="The administrator the audit row names (default: the system).")
def holidays_command(year, path, username):
    """Enter YEAR's official schedule from a UTF-8 file, replacing what was entered for YEAR: one holiday per
    line as on the admin page ("2027-02-05 至 2027-02-13 春节"); a line starting with 上班 is an adjusted
    working day ("上班 2027-02-20 春节")."""
    from desk import holidays
    from desk.models import User
    try:
        with open(path, encoding="utf-8-sig") as stream:
            lines = stream.read().splitlines()
    except OSError as err:
        raise click.ClickException(f"cannot read {path}: {err.strerror}")
    working = [line.strip()[2:] for line in lines if line.strip().startswith("上班")]
    days_off = [line for line in lines if not line.strip().startswith("上班")]
    actor = db.session.scalar(db.select(User).where(User.username == username)) if username else None
    if username and actor is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        days = holidays.parse_schedule(year, "\n".join(days_off), "\n".join(working))
    except holidays.ScheduleErrors as err:
        for field, messages in err.errors.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise click.ClickException(f"problems in {path}; nothing was entered")
    holidays.enter_schedule(actor=actor, year=year, days=days)
    db.session.commit()
    click.echo(f"{year}: {sum(d.kind == 'day_off' for d in days)} days off, "
               f"{sum(d.kind == 'working' for d in days)} adjusted working days entered")


@desk_cli.command("create-user")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", "roles", multiple=True, required=True)
@click.option("--unit", "unit_code", required=True, help="Org unit code, e.g. 440781")
@click.option("--name", "display_name", default=None)
def create_user_command(username, password, roles, unit_code, display_name):
    """Create a user (e.g. the first administrator)."""
    from desk.admin.services import create_user
    from desk.models import OrgUnit
    unit = db.session.scalar(db.select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None:
        raise click.BadParameter(f"no org unit with code {unit_code}")
    create_user(actor=None, username=username, password=password, display_name=display_name or username,
                org_unit=unit, roles=roles)
    db.session.commit()
    click.echo(f"created {username}")


@desk_cli.command("scheduler")
def scheduler_command():
    """Run the scheduler in this process (one process per deployment; a database lease guards jobs)."""
    from desk.scheduler import build_scheduler
    scheduler = build_scheduler(current_app._get_current_object(), blocking=True)
    click.echo(f"scheduler running {len(scheduler.get_jobs())} jobs; Ctrl-C stops it")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass


@desk_cli.command("run-job")
@click.argument("name")
def run_job_command(name):
    """Run one scheduled job now."""
    from desk.scheduler import JOBS, run_job
    if name not in JOBS:
        raise click.BadParameter(f"unknown job; known: {', '.join(sorted(JOBS))}")
    run = run_job(name)
    click.echo(f"{name}: {run.outcome} ({run.count})")


@desk_cli.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup_command(path, force):
    """Copy the whole database to PATH (default instance/backups/desk-<time>.sqlite or .dump) as it stands at one
    moment, while the desk keeps working: SQLite's online backup, or pg_dump's custom format for PostgreSQL."""
    from desk import backup
    from desk.timeutil import to_local, utcnow
    path = path or backup.default_path(current_app.instance_path, db.engine.url, to_local(utcnow()))
    _copy("backup", backup.backup_database, path, force)


@desk_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(path, force):
    """Replace the database with the backup at PATH (made by `flask desk backup`), in one transaction. Stop the
    desk first. A database that holds data is replaced only with --force."""
    from desk import backup
    db.engine.dispose()     # this process's own pooled connections must not hold the tables being replaced
    summary = _copy("restore", backup.restore_database, path, force)
    heads = _migration_heads()
    if summary.revision and set(summary.revision.split(",")) != heads:
        click.echo("The backup's schema is not this code's: run `flask db upgrade` before starting the desk.")


def _copy(verb: str, copy, path: str, force: bool):
    """Run a backup or restore with its progress line; a refusal is a clear message, not a traceback."""
    from desk.backup import BackupError
    progress = _Progress()
    try:
        summary = copy(db.engine.url, path, force=force, progress=progress)
    except BackupError as err:
        raise click.ClickException(str(err))
    finally:
        progress.end()
    click.echo(summary.line(verb) + (f", schema {summary.revision}" if summary.revision else ""))
    return summary


class _Progress:
    """One line on the terminal (stderr), rewritten as the copy goes on."""
    shown = False

    def __call__(self, message: str) -> None:
        click.echo(f"\r{message}   ", nl=False, err=True)
        self.shown = True

    def end(self) -> None:
        if self.shown:
            click.echo("", err=True)


def _migration_heads() -> set[str]:
    from alembic.script import ScriptDirectory
    return set(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())
