"""``flask catalog load``: bring the catalog in line with the data file."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import exists, select

from app.booking.recheck import mark_for_recheck
from app.database import utcnow
from app.extensions import db
from app.matters.loader import CATALOG_FILE, CatalogError, load_catalog, read_catalog
from app.matters.models import Unit

catalog_cli = AppGroup("catalog", help="The catalog of units, locations and matters.")


@catalog_cli.command("load")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=CATALOG_FILE,
    show_default=True,
    help="The catalog data file.",
)
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load only into an empty catalog (keeps what administrators have edited since).",
)
def load_command(path: Path, if_empty: bool) -> None:
    """Create or update the catalog from PATH; visits are left alone."""
    if if_empty and db.session.scalar(select(exists().where(Unit.id.is_not(None)))):
        click.echo("catalog already loaded: left as it is (--if-empty)")
        return
    try:
        report = load_catalog(read_catalog(path))
    except CatalogError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    if report.changed:  # hours, desks or places may have changed under booked visits
        marked = mark_for_recheck(utcnow())
        if marked:
            click.echo(f"{marked} booked visits to be re-checked by the scheduler")
    db.session.commit()
    for label in report.created:
        click.echo(f"created {label}")
    for label in report.updated:
        click.echo(f"updated {label}")
    for label in report.not_in_file:
        click.echo(f"kept (not in the file) {label}")
    if not report.changed:
        click.echo("catalog up to date: nothing changed")
