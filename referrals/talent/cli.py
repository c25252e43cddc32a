"""`flask desk import-talent PATH`: the talent CSV import on the command line, with a progress bar."""
import click
from flask.cli import with_appcontext

from referrals.talent import services as pool


@click.command("import-talent")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_talent_command(path):
    """Import talent from a UTF-8 CSV file, with a progress bar and a per-row report."""
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read()
    report = pool.ImportReport()
    rows = text.count("\n")
    with click.progressbar(length=max(rows - 1, 1), label="talent rows", show_pos=True) as bar:
        class Progress(pool.ImportReport):
            def __setattr__(self, name, value):
                if name == "processed" and value:
                    bar.update(value - getattr(self, "processed", 0))
                object.__setattr__(self, name, value)
        report = Progress()
        pool.import_talent_csv(text, actor=None, report=report)
    click.echo(f"imported {report.imported} of {report.total}; {len(report.errors)} problems")
    for number, field_name, message in report.errors[:200]:
        click.echo(f"  row {number}, {field_name}: {message}")
