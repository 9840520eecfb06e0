"""Flask commands: thin wrappers over the services."""

import logging
import signal
import sys
import threading
from datetime import time, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.api import tokens
from app.auth.passwords import PasswordTooShort
from app.desk import services as desk
from app.errors import NotFound
from app.events import seed
from app.mail import reminders, sender
from app.registration import erasure
from app.staff.accounts import services as accounts
from app.worker import loop
from app.worker.schedules import Job

events_cli = AppGroup("events", help="Manage events.")
users_cli = AppGroup("users", help="Manage staff accounts.")
data_cli = AppGroup("data", help="Personal data.")
mail_cli = AppGroup("mail", help="The mail outbox.")
tokens_cli = AppGroup("tokens", help="API tokens (door scanners, other tools).")
desk_cli = AppGroup("desk", help="The building's security desk and its lists.")


def init_app(app) -> None:
    app.cli.add_command(events_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(data_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(tokens_cli)
    app.cli.add_command(desk_cli)


@events_cli.command("seed")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Day of the meeting (default: the next 16 April).",
)
@click.option(
    "--capacity",
    type=click.IntRange(min=0),
    default=seed.DEFAULT_CAPACITY,
    show_default=True,
    help="Number of seats.",
)
@click.option("--slug", help="URL name (default: reunion-information-ami-ia-<year>).")
def seed_command(day, capacity: int, slug: str | None) -> None:
    """Create the AMI IA information meeting as announced, published and open."""
    event, created = seed.seed_meeting(day.date() if day else None, capacity=capacity, slug=slug)
    verb = "Created" if created else "Already there:"
    click.echo(
        f"{verb} /e/{event.slug} ({event.local_start:%Y-%m-%d %H:%M %Z}, {event.capacity} seats)"
    )


@users_cli.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "organiser", "checkin", "viewer"]),
    help="What the account may do.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, password_stdin: bool) -> None:
    """Create a staff account."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.create_user(email, role, password)
    except (accounts.InvalidAccount, PasswordTooShort) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("password")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def password_command(email: str, password_stdin: bool) -> None:
    """Replace a staff account's password; its open sessions end."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.set_password(email, password)
    except (PasswordTooShort, accounts.AccountNotFound) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Password replaced for {user.email}.")


@users_cli.command("demo")
def demo_user_command() -> None:
    """Create or reset the demo admin account and print its credentials."""
    user, password = accounts.create_demo_user()
    click.echo(f"Demo staff account: {user.email} / {password}")


@data_cli.command("purge")
def purge_command() -> None:
    """Delete registrations of events ended more than RETENTION_DAYS ago (run it daily)."""
    days = current_app.config["RETENTION_DAYS"]
    deleted = erasure.purge_expired(days)
    click.echo(f"Deleted {deleted} registrations of events ended more than {days} days ago.")


@data_cli.command("erase")
@click.option("--email", required=True, help="The person's e-mail address.")
def erase_command(email: str) -> None:
    """Erase one person from every event, on their request (their seats go to the line)."""
    erased = erasure.erase_person(email, requested_by="operator")
    click.echo(f"Erased {erased} registration(s) of {email.strip().lower()}.")


@mail_cli.command("send")
@click.option("--watch", is_flag=True, help="Run the worker: deliver as commits wake it, run jobs.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between polls at most.")
def mail_send_command(watch: bool, interval: float) -> None:
    """Deliver pending messages (now, whatever their backoff; --watch honours it)."""
    if watch:
        # What it sends and runs, on stderr (unless logging is set up already).
        logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(message)s")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        loop.run(interval=interval, jobs=scheduled_jobs(), stop=stop)
        return
    sent, failed = sender.deliver_pending(honour_backoff=False)
    click.echo(f"{sent} sent, {failed} failed.")
    if failed:
        raise SystemExit(1)


def scheduled_jobs() -> list[Job]:
    """What the worker runs on a schedule (the cron lines of docs/operations.md, optional)."""
    days = current_app.config["RETENTION_DAYS"]
    return [
        Job("reminders", reminders.queue_reminders, daily=time(10, 0)),
        Job("purge", lambda: erasure.purge_expired(days), daily=time(3, 15)),
        Job("desk", desk.send_due, every=timedelta(minutes=1)),
    ]


@mail_cli.command("reminders")
def mail_reminders_command() -> None:
    """Queue the day-before reminder of tomorrow's events (once per person), then send."""
    queued = reminders.queue_reminders()
    sent, failed = sender.deliver_pending(honour_backoff=True)
    click.echo(f"{queued} reminders queued; {sent} sent, {failed} failed.")


@tokens_cli.command("create")
@click.option("--email", required=True, help="The staff account the token acts as.")
def tokens_create_command(email: str) -> None:
    """Create an API token for a staff account; the token is printed last, once."""
    try:
        record, token = tokens.create_token(email)
    except tokens.UnknownAccount:
        raise click.ClickException(f"no active staff account for {email}") from None
    click.echo(f"Token {record.prefix}… for {email}; keep it secret, it is not shown again:")
    click.echo(token)


@tokens_cli.command("revoke")
@click.option("--prefix", required=True, help="The token's first 12 characters.")
def tokens_revoke_command(prefix: str) -> None:
    """Revoke API tokens by their prefix."""
    click.echo(f"Revoked {tokens.revoke_token(prefix)} token(s).")


@events_cli.command("desk")
@click.option("--slug", required=True, help="The event.")
@click.option("--to", "recipients", required=True, help="The desk's addresses, comma-separated.")
@click.option(
    "--cutoff",
    type=click.DateTime(formats=["%Y-%m-%d %H:%M"]),
    help="When the list goes, in the event's time zone (default: the day before, 12:00 Paris).",
)
def events_desk_command(slug: str, recipients: str, cutoff) -> None:
    """Set where and when an event's list of people expected goes to the security desk."""
    try:
        addresses = desk.parse_addresses(recipients)
        changed, when = desk.set_desk(slug, addresses, cutoff, None)
    except (desk.InvalidDeskSetting, NotFound) as error:
        raise click.ClickException(str(error)) from None
    verb = "Set" if changed else "Unchanged"
    click.echo(f"{verb}: {', '.join(addresses)}; the list goes on {when:%Y-%m-%d %H:%M %Z}.")


@desk_cli.command("send")
def desk_send_command() -> None:
    """Send the security desk's lists and addenda that are due (safe to run from cron)."""
    sendings = desk.send_due()
    for sending in sendings:
        click.echo(
            f"{sending.kind} for event {sending.event_id} to {sending.recipients}: "
            f"{sending.added} added, {sending.removed} withdrawn"
        )
    click.echo(f"{len(sendings)} sent.")
