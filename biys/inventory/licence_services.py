"""Every write of software and licences: the titles (the allow and deny lists, trabzon 11(ğ)),
licence agreements, installations of a title on an asset of the register, an agent's report of
what a computer has installed, and the licences' expiry notices.

Software is not a taşınır item: nothing here touches the register's numbers, the stores or the
işlem fişleri. Functions take keyword arguments only and run in one transaction; a refusal is a
``ValidationError`` naming the field (or ``PermissionDenied``), and nothing is half-written.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from biys.core import changelog
from biys.core.access import can, can_add
from biys.inventory.models import (
    Asset,
    Installation,
    InstallationSource,
    Licence,
    LicenceExpiryAlert,
    LicenceKind,
    SoftwareCategory,
    SoftwareStatus,
    SoftwareTitle,
)
from biys.inventory.software import match_key

DEFAULT_EXPIRY_DAYS = (90, 30, 7)
EXPIRY_ROLES = ("inventory_officer",)


def _deny(message=None):
    raise PermissionDenied(message or _("You may not do this for this software or licence."))


def _may_save(user, obj, model) -> bool:
    if user is None:
        return True
    return can(user, "change", obj) if obj.pk else can_add(user, model, obj.unit_id)


# --------------------------------------------------------------------------- titles


@transaction.atomic
def save_title(*, title: SoftwareTitle, user=None) -> SoftwareTitle:
    """Add or edit a title; two spellings of one product (the same normalised publisher and
    name) are one title."""
    if not _may_save(user, title, SoftwareTitle):
        _deny()
    title.publisher = (title.publisher or "").strip()
    title.name = (title.name or "").strip()
    if not title.name:
        raise ValidationError({"name": _("This field is required.")})
    title.match_key = match_key(title.publisher, title.name)
    twin = SoftwareTitle.objects.filter(match_key=title.match_key).exclude(pk=title.pk).first()
    if twin is not None:
        raise ValidationError(
            {"name": _("This software is already listed as %(title)s.") % {"title": twin}}
        )
    title.full_clean(exclude=["match_key"])
    title.save()
    return title


@changelog.batched
def delete_title(*, title: SoftwareTitle, user=None) -> None:
    """Delete a software title no licence or installation names (they refuse it)."""
    if user is not None and not can(user, "delete", title):
        _deny()
    title.delete()


def _title_for(*, publisher: str, name: str, unit, known: dict) -> tuple[SoftwareTitle, bool]:
    """The title an agent's line names, created as not reviewed when none matches. Two reports
    creating the same title at once: the second finds the first's row."""
    key = match_key(publisher, name)
    if key in known:
        return known[key], False
    title = SoftwareTitle.objects.filter(match_key=key).first()
    created = False
    if title is None:
        try:
            with transaction.atomic():
                title = SoftwareTitle(
                    unit=unit,
                    publisher=publisher[:150],
                    name=name[:200],
                    category=SoftwareCategory.OTHER,
                    status=SoftwareStatus.UNREVIEWED,
                )
                title.save()
                created = True
        except IntegrityError:
            title = SoftwareTitle.objects.get(match_key=key)
    known[key] = title
    return title, created


# --------------------------------------------------------------------------- licences


def _check_licence(licence: Licence) -> None:
    errors = {}
    if licence.kind == LicenceKind.SUBSCRIPTION and licence.expires_on is None:
        errors["expires_on"] = _("A subscription has an expiry date.")
    if licence.starts_on and licence.expires_on and licence.expires_on < licence.starts_on:
        errors["expires_on"] = _("A licence cannot expire before it starts.")
    if licence.seats is not None and licence.seats < 1:
        errors["seats"] = _("A licence entitles at least one seat.")
    if licence.cost is not None and licence.cost < 0:
        errors["cost"] = _("The cost cannot be negative.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_licence(*, licence: Licence, user=None) -> Licence:
    """Record or edit a licence agreement (never a taşınır item: no number, no fişi)."""
    if not _may_save(user, licence, Licence):
        _deny()
    _check_licence(licence)
    licence.full_clean()
    licence.save()
    return licence


@changelog.batched
def delete_licence(*, licence: Licence, user=None) -> None:
    """Delete a licence agreement recorded in error (with its expiry alerts); the title and its
    installations stay, and the compliance view counts the seats without it."""
    if user is not None and not can(user, "delete", licence):
        _deny()
    licence.delete()


# --------------------------------------------------------------------------- installations


def _check_asset(asset: Asset, field_name: str = "asset") -> None:
    if asset.is_final:
        raise ValidationError({field_name: _("A scrapped or written-off asset runs no software.")})


def _lock_asset(asset: Asset) -> Asset:
    """The asset's row, locked: two reports of one computer queue here."""
    return Asset.objects.select_for_update().get(pk=asset.pk)


@changelog.batched
def record_installation(
    *,
    asset: Asset,
    title: SoftwareTitle,
    version: str = "",
    installed_on: date | None = None,
    notes: str = "",
    source: str = InstallationSource.MANUAL,
    user=None,
    at: datetime | None = None,
) -> Installation:
    """A title installed on an asset, entered by a person or through the API. Recording it
    again updates the details of the one installation (an asset runs a title once); a title
    removed earlier is installed again on its old row."""
    if user is not None and not can_add(user, Installation, asset.unit_id):
        _deny(_("You may not record software on this asset."))
    asset = _lock_asset(asset)
    _check_asset(asset)
    now = at or timezone.now()
    if installed_on and installed_on > timezone.localdate(now):
        raise ValidationError({"installed_on": _("The date cannot be in the future.")})
    installation = Installation.objects.filter(asset=asset, title=title).first()
    if installation is None:
        installation = Installation(asset=asset, title=title, first_seen=now, source=source)
    elif not installation.is_current:
        installation.source = source
    installation.version = (version or "").strip()
    installation.installed_on = installed_on
    installation.notes = (notes or "").strip()
    installation.last_seen = now
    installation.removed_at = None
    installation.full_clean()
    installation.save()
    return installation


@transaction.atomic
def update_installation(*, installation: Installation, user=None, **changes) -> Installation:
    """Edit what a person may correct (version, date, notes); the asset and the title stay."""
    allowed = {"version", "installed_on", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if user is not None and not can(user, "change", installation):
        _deny()
    installation = Installation.objects.select_for_update().get(pk=installation.pk)
    for name, value in changes.items():
        setattr(installation, name, value.strip() if isinstance(value, str) else value)
    if installation.installed_on and installation.installed_on > timezone.localdate():
        raise ValidationError({"installed_on": _("The date cannot be in the future.")})
    installation.full_clean()
    installation.save()
    return installation


@changelog.batched
def remove_installation(*, installation: Installation, user=None, at=None) -> Installation:
    """The title is no longer on the asset: its row stays, with the time it went."""
    if user is not None and not can(user, "change", installation):
        _deny()
    installation = Installation.objects.select_for_update().get(pk=installation.pk)
    if not installation.is_current:
        raise ValidationError(_("This installation is already removed."))
    installation.removed_at = at or timezone.now()
    installation.save()
    return installation


@dataclass
class SoftwareReport:
    """What an agent's report changed: counts, and the titles it created (not reviewed)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    new_titles: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "new_titles": [title.pk for title in self.new_titles],
        }


def _clean_lines(software) -> list[dict]:
    lines, errors = [], []
    for index, line in enumerate(software or (), start=1):
        if not isinstance(line, dict):
            errors.append(_("Line %(line)s: not a software entry.") % {"line": index})
            continue
        name = str(line.get("name") or "").strip()
        if not name:
            errors.append(_("Line %(line)s: the name is required.") % {"line": index})
            continue
        installed_on = line.get("installed_on") or None
        if isinstance(installed_on, str):
            try:
                installed_on = date.fromisoformat(installed_on[:10])
            except ValueError:
                errors.append(_("Line %(line)s: the date is not valid.") % {"line": index})
                continue
        lines.append(
            {
                "publisher": str(line.get("publisher") or "").strip(),
                "name": name,
                "version": str(line.get("version") or "").strip()[:100],
                "installed_on": installed_on,
            }
        )
    if errors:
        raise ValidationError({"software": errors})
    return lines


@changelog.batched
def report_installed_software(
    *,
    asset: Asset,
    software,
    complete: bool = True,
    source: str = InstallationSource.AGENT,
    user=None,
    at: datetime | None = None,
) -> SoftwareReport:
    """What an asset has installed, as an inventory agent (or an API client) reports it: each
    line (``publisher``, ``name``, ``version``, ``installed_on``) is matched to a title by its
    normalised publisher and name, a title nobody knows is added as not reviewed. Sending the
    same report twice changes nothing. A ``complete`` report (a full inventory) also marks what
    it no longer lists as removed; a partial one only adds and updates."""
    if user is not None and not can_add(user, Installation, asset.unit_id):
        _deny(_("You may not record software on this asset."))
    lines = _clean_lines(software)
    asset = _lock_asset(asset)
    _check_asset(asset)
    now = at or timezone.now()
    report = SoftwareReport()
    known: dict = {
        title.match_key: title
        for title in SoftwareTitle.objects.filter(
            match_key__in={match_key(line["publisher"], line["name"]) for line in lines}
        )
    }
    existing = {row.title_id: row for row in Installation.objects.filter(asset=asset)}
    seen: set[int] = set()
    for line in lines:
        title, created = _title_for(
            publisher=line["publisher"], name=line["name"], unit=asset.unit, known=known
        )
        if created:
            report.new_titles.append(title)
        if title.pk in seen:  # the same product twice in one report: one installation
            continue
        seen.add(title.pk)
        row = existing.get(title.pk)
        if row is None:
            Installation.objects.create(
                asset=asset,
                title=title,
                version=line["version"],
                installed_on=line["installed_on"],
                source=source,
                first_seen=now,
                last_seen=now,
            )
            report.added += 1
            continue
        wanted = {
            "version": line["version"] or row.version,
            "installed_on": line["installed_on"] or row.installed_on,
            "removed_at": None,
        }
        if any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            row.last_seen = now
            row.save()
            report.updated += 1
        else:
            # Seen again, nothing changed: no change record, only the time it was last seen.
            Installation.objects.filter(pk=row.pk).update(last_seen=now)
            report.unchanged += 1
    if complete:
        for title_id, row in existing.items():
            if title_id not in seen and row.is_current:
                row.removed_at = now
                row.save()
                report.removed += 1
    return report


# --------------------------------------------------------------------------- expiry notices


def expiry_days() -> list[int]:
    """The thresholds (days before expiry) a licence is noticed at, largest first
    (``BIYS_LICENCE_EXPIRY_DAYS``, e.g. ``90,30,7``)."""
    configured = getattr(settings, "BIYS_LICENCE_EXPIRY_DAYS", None) or DEFAULT_EXPIRY_DAYS
    days = {int(value) for value in configured if str(value).strip().isdigit()}
    return sorted(days or DEFAULT_EXPIRY_DAYS, reverse=True)


def expiry_recipients(unit) -> list:
    from biys.inventory.services import low_stock_recipients

    return low_stock_recipients(unit)


def send_licence_expiry_alerts(*, today: date | None = None) -> dict:
    """Once per licence and threshold: a notice to the inventory officers of the licence's unit
    when it expires within that many days (the tightest threshold reached, so a licence found
    five days before its end is noticed once, not three times). A renewed licence, with a new
    expiry date, is noticed again. Each licence in its own transaction."""
    from biys.notifications.services import notify

    today = today or timezone.localdate()
    thresholds = expiry_days()
    horizon = today + timedelta(days=thresholds[0])
    result = {"notified": 0}
    candidates = (
        Licence.objects.filter(expires_on__gte=today, expires_on__lte=horizon)
        .select_related("title", "unit")
        .order_by("expires_on", "pk")
    )
    for licence in candidates.iterator():
        left = (licence.expires_on - today).days
        reached = [days for days in thresholds if left <= days]
        with transaction.atomic():
            done = set(
                LicenceExpiryAlert.objects.filter(
                    licence=licence, expires_on=licence.expires_on, days__in=reached
                ).values_list("days", flat=True)
            )
            if min(reached) in done:
                continue
            now = timezone.now()
            LicenceExpiryAlert.objects.bulk_create(
                [
                    LicenceExpiryAlert(
                        licence=licence, days=days, expires_on=licence.expires_on, sent_at=now
                    )
                    for days in reached
                    if days not in done
                ]
            )
            notify(
                recipients=expiry_recipients(licence.unit),
                title=_("Licence expires in %(days)s days: %(title)s")
                % {"days": left, "title": licence.title},
                body=_("%(seats)s seats, expires on %(date)s. Contract: %(contract)s")
                % {
                    "seats": licence.seats,
                    "date": licence.expires_on.strftime("%d.%m.%Y"),
                    "contract": licence.contract or "-",
                },
                target=licence,
            )
            result["notified"] += 1
    return result
