"""Times in a person's own time zone: theirs when they chose one, else the site's (KUZA_TIME_ZONE); stored times are UTC."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime, get_timezone_name
from flask import current_app


def site_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["KUZA_TIME_ZONE"])


def zone_of(user) -> ZoneInfo:
    """The user's own time zone, or the site's when they have none (or one this machine does not know)."""
    name = getattr(user, "time_zone", None)
    if name:
        try:
            return ZoneInfo(name)
        except (ValueError, ZoneInfoNotFoundError):
            pass
    return site_zone()


def valid_zone(name: str) -> str | None:
    """The IANA name as this machine knows it ("africa/dakar" → "Africa/Dakar"), or None."""
    name = name.strip()
    if name in available_timezones():
        return name
    by_fold = {known.casefold(): known for known in available_timezones()}
    return by_fold.get(name.casefold())


def aware(moment: datetime) -> datetime:
    """A stored time with its zone: SQLite gives back naive datetimes, and every stored one is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def as_stored(moment: datetime) -> datetime:
    """A time as the database keeps it: UTC, without a zone, so SQLite and PostgreSQL compare alike."""
    return aware(moment).astimezone(UTC).replace(tzinfo=None)


def from_local(moment: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time someone typed in ``zone``, in UTC (stored form)."""
    return as_stored(moment.replace(tzinfo=zone))


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The last moment of ``day`` in ``zone``, in UTC (stored form): a code "valid until" a date works all that day."""
    return from_local(datetime.combine(day + timedelta(days=1), time()), zone) - timedelta(microseconds=1)


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    return aware(moment).astimezone(zone)


def shown(moment: datetime, zone: ZoneInfo, locale: str, style: str = "medium") -> str:
    """A stored time as the reader reads it: in their zone and language, with the zone named."""
    local = to_local(moment, zone)
    return f"{format_datetime(local, style, tzinfo=zone, locale=locale)} ({zone_label(zone, locale)})"


def zone_label(zone: ZoneInfo, locale: str) -> str:
    """The zone's name for people ("heure : Dakar"), falling back to its IANA key."""
    if zone.key == "UTC":
        return "UTC"
    try:
        return get_timezone_name(zone, locale=locale)
    except (LookupError, ValueError):
        return zone.key
