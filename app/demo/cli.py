"""``flask demo seed``: fill an empty database with an office's year of visits."""

import time

import click
from flask.cli import AppGroup

from app.booking.states import Channel, VisitStatus
from app.demo.seed import DEFAULT_SEED, SeedError, SeedReport, seed_demo
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo data for trying and measuring Wizyta.")


@demo_cli.command("seed")
@click.option("--visits", type=click.IntRange(min=1), required=True, help="How many visits.")
@click.option(
    "--requested",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="How many of them wait for the scheduler (fresh online requests, auto-confirmed).",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
def seed_command(visits: int, requested: int, seed: int) -> None:
    """Fill a database without visits with VISITS visits: most of the past year, in the
    states they ended in, the rest ahead. Refuses a database that holds any visit."""
    started = time.perf_counter()
    try:
        report = seed_demo(visits, requested, seed=seed)
    except SeedError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    for line in summary(report):
        click.echo(line)
    click.echo(f"done in {time.perf_counter() - started:.1f} s")


def summary(report: SeedReport) -> list[str]:
    lines = ["catalog loaded (it was empty)"] if report.catalog_loaded else []
    lines += [f"account created: {account}" for account in report.accounts_created]
    lines += [f"raised {line}" for line in report.desks_raised]
    total = sum(report.visits.values())
    lines.append(
        f"{total:,} visits ({report.past:,} in the past year, {report.ahead:,} ahead, "
        f"{report.requested:,} requested), {report.people:,} people, "
        f"{report.changes:,} changes, {report.erased:,} erased after retention"
    )
    header = f"{'state':12}" + "".join(f"{channel.value:>10}" for channel in Channel)
    lines.append(header + f"{'all':>10}")
    for status in VisitStatus:
        counts = [report.visits[status, channel] for channel in Channel]
        if any(counts):
            row = "".join(f"{count:>10,}" for count in counts)
            lines.append(f"{status.value:12}{row}{sum(counts):>10,}")
    by_channel = "".join(
        f"{sum(n for (_s, c), n in report.visits.items() if c is channel):>10,}"
        for channel in Channel
    )
    lines.append(f"{'all':12}{by_channel}{total:>10,}")
    return lines
