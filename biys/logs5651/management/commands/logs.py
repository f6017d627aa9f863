"""``biys logs ingest SOURCE FILE [--date D]``, ``biys logs collect``, ``biys logs seal [--date D]``, ``biys logs
verify [--from D --to D]`` and ``biys logs who IP AT --request NUMBER --user NAME``: the Law
5651 access logs from the command line. Every subcommand prints JSON; verify exits with 1 when
anything fails."""

import json
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from error


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a time (YYYY-MM-DDTHH:MM[:SS]): {text}") from error
    return value if value.tzinfo else timezone.make_aware(value)


def _seal_json(seal) -> dict:
    return {
        "unit": str(seal.unit),
        "day": seal.day.isoformat(),
        "status": seal.status,
        "manifest_sha256": seal.manifest_sha256,
        "previous_sha256": seal.previous_sha256,
        "stamped_at": seal.stamped_at.isoformat() if seal.stamped_at else None,
        "attempts": seal.attempts,
        "next_retry_at": seal.next_retry_at.isoformat() if seal.next_retry_at else None,
        "error": seal.last_error,
    }


class Command(BaseCommand):
    help = "Internet access logs (Law 5651): ingest, seal, verify, who."

    def add_arguments(self, parser):
        jobs = parser.add_subparsers(dest="job", required=True)
        ingest = jobs.add_parser("ingest", help="Receive a log file from a registered source.")
        ingest.add_argument("source", help="the source's name")
        ingest.add_argument("file")
        ingest.add_argument("--date", help="the file's day (default: today)")
        seal = jobs.add_parser("seal", help="Seal ended days (or one day) with a timestamp.")
        seal.add_argument("--date", help="seal this day (default: every pending day)")
        verify = jobs.add_parser("verify", help="Re-hash files, check manifests and tokens.")
        verify.add_argument("--from", dest="date_from")
        verify.add_argument("--to", dest="date_to")
        who = jobs.add_parser("who", help="Who had an IP address at a time (logged).")
        who.add_argument("ip")
        who.add_argument("at", help="YYYY-MM-DDTHH:MM[:SS] (local time unless an offset is given)")
        who.add_argument("--request", required=True, help="the request number (yazı sayısı)")
        who.add_argument("--user", required=True, help="the user name answering the request")
        jobs.add_parser("collect", help="Take the watched folder's closed files.")
        jobs.add_parser("retention", help="Delete files past the retention period (sealed days).")

    def handle(self, *args, job, **options):
        from biys.core.context import change_context

        try:
            with change_context(user_name=f"biys logs {job}"):
                result, ok = getattr(self, f"do_{job}")(**options)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str))
        if not ok:
            raise SystemExit(1)

    def do_ingest(self, *, source, file, date=None, **options):
        from biys.logs5651.models import LogSource
        from biys.logs5651.services import ingest_file

        found = LogSource.objects.filter(name=source).first()
        if found is None:
            raise CommandError(f"no log source named {source}")
        day = _date(date) if date else timezone.localdate()
        try:
            log_file = ingest_file(source=found, path_or_bytes=file, day=day)
        except OSError as error:
            raise CommandError(str(error)) from error
        return {
            "id": log_file.pk,
            "source": found.name,
            "day": log_file.day.isoformat(),
            "name": log_file.name,
            "size": log_file.size,
            "sha256": log_file.sha256,
            "lines": log_file.lines,
            "records": log_file.records,
            "skipped": log_file.skipped,
            "unreadable": log_file.unreadable,
        }, True

    def do_seal(self, *, date=None, **options):
        from biys.logs5651.models import LogSource, SealStatus
        from biys.logs5651.services import seal_day, seal_pending
        from biys.org.models import Unit

        if date:
            day = _date(date)
            units = Unit.objects.filter(pk__in=LogSource.objects.values_list("unit_id", flat=True))
            seals = [seal_day(unit=unit, day=day) for unit in units]
        else:
            seals = seal_pending()
        ok = all(seal.status == SealStatus.SEALED for seal in seals)
        return {"ok": ok, "seals": [_seal_json(seal) for seal in seals]}, ok

    def do_collect(self, **options):
        from biys.logs5651.collect import collect

        files = [entry.as_dict() for entry in collect()]
        ok = all(entry["outcome"] in ("received", "open") for entry in files)
        return {"ok": ok, "files": files}, True

    def do_retention(self, **options):
        from biys.logs5651.retention import apply_retention

        return {"deleted": [entry.as_dict() for entry in apply_retention()]}, True

    def do_verify(self, *, date_from=None, date_to=None, **options):
        from biys.logs5651.services import verify

        report = verify(
            date_from=_date(date_from) if date_from else None,
            date_to=_date(date_to) if date_to else None,
        )
        return report.as_dict(), report.ok

    def do_who(self, *, ip, at, request, user, **options):
        from biys.accounts.models import User
        from biys.logs5651.parsers.base import ParseError, normal_ip
        from biys.logs5651.services import search_access_records

        account = User.objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"no active user named {user}")
        try:
            address = normal_ip(ip)
        except ParseError as error:
            raise CommandError(f"not an IP address: {ip}") from error
        moment = _moment(at)
        answer = search_access_records(user=account, ip=address, at=moment, request_number=request)
        return {
            "search": answer.search.pk,
            "ip": address,
            "at": moment.isoformat(),
            "request_number": request,
            "records": [record_json(record) for record in answer.records],
        }, True


def record_json(record) -> dict:
    return {
        "kind": record.kind,
        "ip": record.ip,
        "mac": record.mac,
        "start": record.start.isoformat(),
        "end": record.end.isoformat() if record.end else None,
        "user": record.identity,
        "hostname": record.hostname,
        "nat_ip": record.nat_ip,
        "nat_port": record.nat_port,
        "source": record.source.name,
        "file": record.file.name,
        "day": record.file.day.isoformat(),
        "line": record.line,
        "offset": record.offset,
    }
