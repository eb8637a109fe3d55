"""``flask catalog load``: bring the catalog in line with the data file."""

from pathlib import Path

import click
from flask.cli import AppGroup

from app.extensions import db
from app.matters.loader import CATALOG_FILE, CatalogError, load_catalog, read_catalog

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
def load_command(path: Path) -> None:
    """Create or update the catalog from PATH; visits are left alone."""
    try:
        report = load_catalog(read_catalog(path))
    except CatalogError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for label in report.created:
        click.echo(f"created {label}")
    for label in report.updated:
        click.echo(f"updated {label}")
    for label in report.not_in_file:
        click.echo(f"kept (not in the file) {label}")
    if not report.changed:
        click.echo("catalog up to date: nothing changed")
